/// A PIN terminal the kiosk drives (an ECR link): neither OPI nor nexo, so that either protocol is a driver.
///
/// Every call answers; none throws. A call the terminal does not answer in time comes back as timed out or unknown, never as
/// a hang. The daemon journals each attempt before it calls, and settles what the journal finds unfinished at start through
/// ``lastTransaction(_:)``.
public protocol PaymentTerminal: Device {
    /// Collects `attempt.amountCents`. `prompt` gets the terminal's customer texts ("insert card", "enter PIN") as they come.
    func authorise(_ attempt: PaymentAttempt, prompt: @escaping @Sendable ([String]) -> Void) async -> AuthorisationOutcome
    /// Asks the terminal to stop the payment under way; that payment still answers, usually as cancelled.
    func abort() async
    /// Takes back an approved payment (the same day, the whole amount), by the terminal's transaction id.
    func reverse(_ approval: TerminalApproval, sequence: Int) async -> ReversalOutcome
    /// What became of `attempt`, as far as the terminal still knows: for the journal's entries a crash left unfinished.
    func lastTransaction(_ attempt: PaymentAttempt) async -> InquiryOutcome
    /// Closes the terminal's day (its period since the last closure) and gives its totals.
    func closeDay() async -> ClosureOutcome
}
