/// How a payment ended, as the daemon reports it to the runner.
public enum PaymentResult: Sendable, Equatable {
    /// The terminal approved it; `receipt` is the terminal's own receipt text, printed with the extract or receipt.
    case approved(PaymentRecord, receipt: [String])
    case declined
    case cancelled
    /// Nothing was charged: the terminal was busy, logged out, unreachable or too slow, or the kiosk could not journal the
    /// payment before asking (then the terminal was never asked).
    case failed(PaymentFailure)
    /// Nobody can say whether money was taken (the terminal went silent after the card was used, and could not tell
    /// afterwards). Staff settle it by the reference; the resident is never asked to pay again.
    case unknown(reference: String)

    public var outcome: PaymentOutcome? {
        switch self {
        case .approved: .approved
        case .declined: .declined
        case .cancelled: .cancelled
        case .failed: .failed
        case .unknown: nil
        }
    }
}

/// Why a payment failed without charging anything.
public enum PaymentFailure: String, Sendable, Equatable, Codable {
    case terminalBusy, terminalUnavailable, timedOut, notJournaled
}
