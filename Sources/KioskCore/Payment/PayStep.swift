/// A step that takes the chosen option's fee on the payment terminal, before the request that costs it is sent.
///
/// Every outcome must be mapped. An outcome mapped to the pay step itself stays on it: the screen says what happened (nothing
/// was charged) and offers "try again" and "call staff". `approved` must lead to a submit step, so that a payment always
/// carries on as a request (the daemon queues that request the moment the terminal approves).
public struct PayStep: Sendable, Equatable {
    public let outcomes: [PaymentOutcome: String]

    public init(outcomes: [PaymentOutcome: String]) {
        self.outcomes = outcomes
    }

    /// Tries a resident gets on one pay step before only staff are offered.
    public static let attempts = 3
}
