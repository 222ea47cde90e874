/// `kioskctl payment test AMOUNT`: a payment of AMOUNT cents on the terminal, outside any session, reversed at once.
public struct PaymentTestRequest: Codable, Sendable, Equatable {
    public var amountCents: Int

    public init(amountCents: Int) { self.amountCents = amountCents }
}
