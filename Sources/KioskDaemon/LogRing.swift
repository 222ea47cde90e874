import Foundation
import KioskControl
import Logging
import Synchronization

/// The daemon's recent log lines in memory, for `kioskctl logs [-f]` and the diagnostic bundle, so a technician needs no
/// shell and no journal access. Bounded: the oldest lines fall out. Lines are what kioskd logs, which is never personal data.
final class LogRing: Sendable {
    private struct Lines {
        var lines: [LogLine] = []
        var next = 1
    }

    private let store = Mutex(Lines())
    let capacity: Int

    init(capacity: Int = 2000) {
        self.capacity = capacity
    }

    func append(_ text: String) {
        store.withLock {
            $0.lines.append(LogLine(seq: $0.next, line: text))
            $0.next += 1
            if $0.lines.count > capacity { $0.lines.removeFirst($0.lines.count - capacity) }
        }
    }

    /// Lines after sequence number `after` (0 for all kept).
    func lines(after: Int) -> [LogLine] {
        store.withLock { $0.lines.filter { $0.seq > after } }
    }
}

/// Feeds a ``LogRing``; used beside the stderr or file handler through swift-log's multiplexer.
struct RingLogHandler: LogHandler {
    let ring: LogRing
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let stamp = ISO8601DateFormatter().string(from: Date())
        ring.append("\(stamp) \(event.level) \(event.message)")
    }
}
