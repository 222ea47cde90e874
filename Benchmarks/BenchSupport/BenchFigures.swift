// The two figures every benchmark prints: a duration in milliseconds, and a percentile of a run's samples.
import Foundation

/// A duration in milliseconds, with its fraction.
public func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

/// The milliseconds since `start`.
public func milliseconds(_ start: ContinuousClock.Instant) -> Double { milliseconds(ContinuousClock.now - start) }

/// The sample at fraction `p` (0.5 the median, 0.99 the p99) of `samples`, nearest rank.
public func percentile(_ samples: [Double], _ p: Double) -> Double {
    let sorted = samples.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}
