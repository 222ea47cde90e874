/// What a terminal says about a payment it approved. The card number is masked to its last four digits before it leaves the
/// driver; no other part of it is kept.
public struct TerminalApproval: Sendable, Equatable, Codable {
    public var transactionID: String
    public var terminalID: String
    public var amountCents: Int
    public var brand: String
    /// `**** 1234`, or empty when the terminal gave no number.
    public var maskedCard: String
    /// ISO 8601, as the terminal stamped it.
    public var time: String
    /// The customer receipt's lines, as the terminal sent them to print.
    public var receipt: [String]

    public init(
        transactionID: String, terminalID: String, amountCents: Int, brand: String, maskedCard: String, time: String,
        receipt: [String]
    ) {
        self.transactionID = transactionID
        self.terminalID = terminalID
        self.amountCents = amountCents
        self.brand = brand
        self.maskedCard = maskedCard
        self.time = time
        self.receipt = receipt
    }

    /// The last four digits of whatever the terminal called the card number, masked; empty when it has fewer.
    public static func mask(_ pan: String?) -> String {
        let digits = (pan ?? "").filter(\.isASCII).filter(\.isNumber)
        guard digits.count >= 4 else { return "" }
        return "**** " + digits.suffix(4)
    }
}
