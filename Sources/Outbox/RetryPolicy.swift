/// How long the drainer waits before sending an entry again: exponential from `base`, capped, with jitter so that a fleet of
/// kiosks coming back online does not retry in step, and never sooner than the central's `Retry-After`.
public struct RetryPolicy: Sendable, Equatable {
    public var base: Duration
    public var cap: Duration

    public init(base: Duration = .seconds(1), cap: Duration = .seconds(300)) {
        self.base = base
        self.cap = cap
    }

    /// - parameters:
    ///   - failures: failed attempts so far, this one included (1 or more).
    ///   - jitter: a number in 0..<1; the delay is between half and all of the exponential step ("equal jitter").
    public func delay(failures: Int, retryAfter: Duration?, jitter: Double) -> Duration {
        let exponent = min(max(failures - 1, 0), 30)
        let step = min(base * (1 << exponent), cap)
        let jittered = step * (0.5 + 0.5 * min(max(jitter, 0), 1))
        return max(jittered, min(retryAfter ?? .zero, .seconds(3600)))
    }
}
