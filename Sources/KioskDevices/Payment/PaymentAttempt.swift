/// One try at collecting an amount: the kiosk's reference, and the journal's sequence number, which the driver uses as its
/// request id so that it can be asked about the attempt after a crash.
public struct PaymentAttempt: Sendable, Equatable {
    public var reference: String
    public var sequence: Int
    public var amountCents: Int
    public var currency: String

    public init(reference: String, sequence: Int, amountCents: Int, currency: String = "EUR") {
        self.reference = reference
        self.sequence = sequence
        self.amountCents = amountCents
        self.currency = currency
    }
}
