/// What the runner asks the payment terminal to collect: the fee, and the request the payment is for.
///
/// The request travels with the order so that the daemon can journal it before the terminal is asked: an approved payment then
/// always becomes a queued request, even if the kiosk dies the moment after.
public struct PaymentOrder: Sendable, Equatable, CustomStringConvertible {
    public var amountCents: Int
    /// The product's id, for the terminal's receipt and the logs.
    public var product: String
    public var language: Language
    /// The request the approved payment carries on as; nil for a technician's test payment.
    public var request: ServiceRequest?

    public init(amountCents: Int, product: String, language: Language, request: ServiceRequest?) {
        self.amountCents = amountCents
        self.product = product
        self.language = language
        self.request = request
    }

    public var description: String { "PaymentOrder(\(amountCents) cents, \(product))" }
}
