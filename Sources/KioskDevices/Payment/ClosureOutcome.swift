/// A terminal's day closure.
public enum ClosureOutcome: Sendable, Equatable {
    case closed(DayTotals)
    case failed(reason: String)
}
