public import Logging
import Synchronization

/// A log handler that keeps the lines, for tests that check what a component says (one line for a failure, never
/// personal data).
public struct RecordingLogHandler: LogHandler {
    public final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        public init() {}
        public var all: [String] { lines.withLock { $0 } }
        func append(_ line: String) { lines.withLock { $0.append(line) } }
    }

    public let lines: Lines
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info

    public init(_ lines: Lines) {
        self.lines = lines
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        lines.append("\(event.level) \(event.message)")
    }

    /// A logger whose lines land in `lines`.
    public static func logger(_ lines: Lines, label: String = "test") -> Logger {
        Logger(label: label) { _ in RecordingLogHandler(lines) }
    }
}
