/// What kiosk-pinpad has done, for the admin endpoint: its books and every message it refused. Public: the benchmark
/// package reads it.
public struct PinpadState: Sendable, Codable, Equatable {
    public struct Transaction: Sendable, Codable, Equatable {
        public var stan: String
        public var requestID: String
        public var workstation: String
        public var amountCents: Int
        public var reversed: Bool
    }

    public var settings: PinpadSettings
    public var loggedIn: [String]
    /// Approved payments since the last day closure, with their reversals.
    public var transactions: [Transaction]
    /// Payments approved (net of reversals) since the last closure.
    public var openCount: Int
    public var openCents: Int
    /// One line per message refused, newest last (at most 100).
    public var refusals: [String]
    public var closures: Int
}
