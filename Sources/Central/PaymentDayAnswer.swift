/// What the central recorded as paid at a kiosk on one day, for the day's closure against the terminal.
public enum PaymentDayAnswer: Sendable, Equatable {
    case recorded(count: Int, amountCents: Int)
    case unavailable(String)
}
