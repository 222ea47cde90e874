/// `kioskctl payment close-day`: the terminal's totals for the day against the central's record of it.
public struct DayClosureReport: Codable, Sendable, Equatable {
    public struct Totals: Codable, Sendable, Equatable {
        public var count: Int
        public var amountCents: Int

        public init(count: Int, amountCents: Int) {
            self.count = count
            self.amountCents = amountCents
        }
    }

    public var day: String
    /// What the terminal closed now, and all its closures of the day together.
    public var closed: Totals?
    public var terminalDay: Totals?
    /// What the central recorded as paid today; nil when it could not be asked.
    public var central: Totals?
    /// What the kiosk's own journal holds as taken today (approved, not reversed).
    public var journal: Totals
    public var matches: Bool
    public var message: String

    public init(
        day: String, closed: Totals?, terminalDay: Totals?, central: Totals?, journal: Totals, matches: Bool, message: String
    ) {
        self.day = day
        self.closed = closed
        self.terminalDay = terminalDay
        self.central = central
        self.journal = journal
        self.matches = matches
        self.message = message
    }
}
