import BenchSupport
import Central
import Foundation
import KioskCore
import KioskDevices
import KioskTesting
import Logging
import OPI
import Outbox
import Payment
import Pinpad

/// The payment benchmark (make bench): the kiosk's own overhead per payment against a bare OPI client on the same
/// kiosk-pinpad, and the crash test: kill -9 at random moments of 50 paid requests, then count what went wrong.
@main
struct PayBench {
    static func main() async throws {
        let payments = Int(ProcessInfo.processInfo.environment["PAY_BENCH_PAYMENTS"] ?? "") ?? 200
        let runs = Int(ProcessInfo.processInfo.environment["PAY_BENCH_CRASHES"] ?? "") ?? 50
        try await Overhead.run(payments: payments)
        try await CrashTest.run(runs: runs)
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }

    static func ms(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
