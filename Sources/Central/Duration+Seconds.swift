package import Foundation

extension Duration {
    /// The duration in seconds, for `Date` arithmetic and timeouts given in other units.
    package var seconds: TimeInterval {
        TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18
    }
}
