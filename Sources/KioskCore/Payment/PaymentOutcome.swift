/// What a payment came to, as a flow branches on it.
///
/// `failed` covers everything that is neither the bank's nor the resident's doing: the terminal is busy, logged out, gone, or
/// did not answer in time. In every one of these nothing was charged. A payment whose outcome nobody can tell is not a flow
/// outcome: the runner sends the resident to the counter with the reference, and never asks for a second payment.
public enum PaymentOutcome: String, Sendable, Equatable, Hashable, CaseIterable, Codable {
    case approved, declined, cancelled, failed
}
