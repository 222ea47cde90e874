/// What kiosk-pinpad has done, for the admin endpoint: its books and every message it refused.
package struct PinpadState: Sendable, Codable, Equatable {
    package struct Transaction: Sendable, Codable, Equatable {
        package var stan: String
        package var requestID: String
        package var workstation: String
        package var amountCents: Int
        package var reversed: Bool
    }

    package var settings: PinpadSettings
    package var loggedIn: [String]
    /// Approved payments since the last day closure, with their reversals.
    package var transactions: [Transaction]
    /// Payments approved (net of reversals) since the last closure.
    package var openCount: Int
    package var openCents: Int
    /// One line per message refused, newest last (at most 100).
    package var refusals: [String]
    package var closures: Int
}
