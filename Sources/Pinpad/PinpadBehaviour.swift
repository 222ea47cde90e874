/// What kiosk-pinpad does with the next payments, set through its admin endpoint.
public enum PinpadBehaviour: String, Sendable, Codable, CaseIterable {
    /// The customer pays: display texts, a receipt, approved.
    case approve
    /// The bank refuses: `Failure`.
    case decline
    /// The customer presses stop: `Aborted`.
    case cancel
    /// The customer takes the card out mid-payment: `Aborted`, with the terminal's words for it.
    case cardRemoved = "card-removed"
    /// Another payment is under way at the terminal: `Busy`, at once.
    case busy
    /// The terminal forgot the login (it restarted): `Loggedout`, until the next Login.
    case loggedOut = "logged-out"
    /// The customer never comes: no answer until the kiosk aborts, then `Aborted`.
    case slow
    /// The request is lost inside the terminal: no answer at all, not even to an abort, and nothing recorded.
    case noAnswer = "no-answer"
    /// Approved and recorded, then the connection drops before the answer: the kiosk does not know, until it asks.
    case dropAfterApprove = "drop-after-approve"
    /// Approved and recorded, and the answer held back until the connection closes: the kiosk dies mid-payment.
    case hold
    /// Approved, with an amount other than the one asked (a broken or hostile terminal).
    case wrongAmount = "wrong-amount"
    /// Answers the payment with bytes that are not XML.
    case garbage
}

/// The admin endpoint's settings: the behaviour of the next payments (for `times` of them, then back to approve), and
/// whether the terminal can answer questions about its last transaction.
public struct PinpadSettings: Sendable, Codable, Equatable {
    public var next: PinpadBehaviour
    /// How many payments behave so; nil for all until changed.
    public var times: Int?
    /// false: RepeatLastMessage is answered `DeviceUnavailable` (a terminal that lost its journal).
    public var inquiries: Bool
    /// The customer's time at the terminal, between "enter your PIN" and the bank's answer, in milliseconds.
    public var customerMillis: Int?

    public init(next: PinpadBehaviour = .approve, times: Int? = nil, inquiries: Bool = true, customerMillis: Int? = nil) {
        self.next = next
        self.times = times
        self.inquiries = inquiries
        self.customerMillis = customerMillis
    }

    enum CodingKeys: String, CodingKey { case next, times, inquiries, customerMillis }

    /// Every key may be left out: `{"next": "decline"}` is enough.
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        next = try values.decodeIfPresent(PinpadBehaviour.self, forKey: .next) ?? .approve
        times = try values.decodeIfPresent(Int.self, forKey: .times)
        inquiries = try values.decodeIfPresent(Bool.self, forKey: .inquiries) ?? true
        customerMillis = try values.decodeIfPresent(Int.self, forKey: .customerMillis)
    }
}
