/// How a terminal answered a payment.
public enum AuthorisationOutcome: Sendable, Equatable {
    case approved(TerminalApproval)
    /// The card's bank or the terminal refused it; the reason is the terminal's, for the log.
    case declined(reason: String)
    /// The customer stopped it at the terminal (or took the card out), or the kiosk aborted it.
    case cancelled
    /// The terminal did not answer in time, and after an abort it is known that nothing was charged.
    case timedOut
    /// The terminal could not take the payment at all: busy, logged out, unreachable. Nothing was charged.
    case unavailable(reason: String)
    /// The card may have been charged, and the terminal cannot say: the line dropped, or an answer could not be read.
    case unknown(reason: String)
}
