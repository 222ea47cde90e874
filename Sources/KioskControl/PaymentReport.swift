public import Foundation

/// `kioskctl payment status`: the terminal as kioskd sees it, and the payment journal in short. No card, no request.
public struct PaymentReport: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var sequence: Int
        public var reference: String
        public var amountCents: Int
        public var state: String
        public var detail: String?
        public var brand: String?
        public var day: String
        public var updatedAt: Date

        public init(
            sequence: Int, reference: String, amountCents: Int, state: String, detail: String?, brand: String?, day: String,
            updatedAt: Date
        ) {
            self.sequence = sequence
            self.reference = reference
            self.amountCents = amountCents
            self.state = state
            self.detail = detail
            self.brand = brand
            self.day = day
            self.updatedAt = updatedAt
        }
    }

    public var device: StatusReport.DeviceReport
    /// Entries per journal state.
    public var counts: [String: Int]
    /// The newest entries first.
    public var entries: [Entry]

    public init(device: StatusReport.DeviceReport, counts: [String: Int], entries: [Entry]) {
        self.device = device
        self.counts = counts
        self.entries = entries
    }
}
