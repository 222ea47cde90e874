/// An approved payment as the central keeps it with the case: enough to find it at the bank, never a card number.
public struct PaymentRecord: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The kiosk's reference, which is also the request's.
    public var reference: String
    /// The terminal's own id of the transaction (OPI: the STAN), which a reversal names.
    public var transactionID: String
    public var terminalID: String
    public var amountCents: Int
    public var currency: String
    /// The card scheme (`Maestro`, `V PAY`, `girocard`), as the terminal names it.
    public var brand: String
    /// When the terminal approved it, ISO 8601 with its offset.
    public var time: String
    /// The kiosk's calendar day of the approval (YYYY-MM-DD), by which the day's closure adds up.
    public var day: String

    public init(
        reference: String, transactionID: String, terminalID: String, amountCents: Int, currency: String = "EUR",
        brand: String, time: String, day: String
    ) {
        self.reference = reference
        self.transactionID = transactionID
        self.terminalID = terminalID
        self.amountCents = amountCents
        self.currency = currency
        self.brand = brand
        self.time = time
        self.day = day
    }

    public var description: String { "PaymentRecord(\(reference), \(amountCents) \(currency), \(brand))" }
}

extension ServiceRequest {
    /// The approved payment a request carries.
    public var payment: PaymentRecord? {
        if case .extractRequest(let extract) = self { return extract.payment }
        return nil
    }
}
