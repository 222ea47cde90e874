/// What a terminal took in one period, net of reversals, per card brand.
public struct DayTotals: Sendable, Equatable, Codable {
    public struct Line: Sendable, Equatable, Codable {
        public var brand: String
        public var count: Int
        public var amountCents: Int

        public init(brand: String, count: Int, amountCents: Int) {
            self.brand = brand
            self.count = count
            self.amountCents = amountCents
        }
    }

    public var lines: [Line]

    public init(lines: [Line]) { self.lines = lines }

    public var count: Int { lines.reduce(0) { $0 + $1.count } }
    public var amountCents: Int { lines.reduce(0) { $0 + $1.amountCents } }
}
