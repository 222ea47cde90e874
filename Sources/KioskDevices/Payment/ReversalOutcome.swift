/// How a terminal answered a reversal.
public enum ReversalOutcome: Sendable, Equatable {
    /// The money went back (or had already gone back: a reversal is keyed on the original transaction).
    case reversed(transactionID: String)
    /// The terminal refused it (too late, unknown transaction); staff must refund by hand.
    case refused(reason: String)
    /// The terminal could not be asked, or did not answer; try again later.
    case unavailable(reason: String)
}
