/// What a terminal still knows of an earlier attempt.
public enum InquiryOutcome: Sendable, Equatable {
    case approved(TerminalApproval)
    /// It declined, it was cancelled, or it never reached the terminal: nothing was charged.
    case notCharged
    /// The terminal cannot say (it did not answer, or it no longer knows).
    case unknown(reason: String)
}
