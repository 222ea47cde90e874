import Foundation

/// The bench's named checks, each with its time, printed as they pass or fail and kept for the summary.
final class CheckLog: @unchecked Sendable {
    struct Entry: Sendable {
        var name: String
        var seconds: Double
        var passed: Bool
        var detail: String
    }

    private(set) var entries: [Entry] = []
    private let lock = NSLock()

    /// Records a check; `detail` says what was seen (a figure, a refusal).
    func record(_ name: String, seconds: Double, passed: Bool, _ detail: String = "") {
        lock.withLock { entries.append(Entry(name: name, seconds: seconds, passed: passed, detail: detail)) }
        let mark = passed ? "pass" : "FAIL"
        print(String(format: "hil: %@  %-58@ %7.2f s  %@", mark, name, seconds, detail))
    }

    /// Times `body`, records it as passed when it returns a detail, failed when it throws.
    @discardableResult
    func check(_ name: String, _ body: () async throws -> String) async -> Bool {
        let start = Date()
        do {
            let detail = try await body()
            record(name, seconds: Date().timeIntervalSince(start), passed: true, detail)
            return true
        } catch {
            record(name, seconds: Date().timeIntervalSince(start), passed: false, "\(error)")
            return false
        }
    }

    var failures: [Entry] { lock.withLock { entries.filter { !$0.passed } } }
}
