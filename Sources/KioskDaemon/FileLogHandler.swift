import Foundation
import Logging
import Synchronization

/// A swift-log handler that appends one line per message to a file: used when the terminal front owns the terminal, so that
/// log lines do not scribble over the resident's screen.
///
/// Messages pass through as written; callers log ids and counts, never personal data.
struct FileLogHandler: LogHandler {
    private let handle: FileHandleBox
    private let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String, handle: FileHandleBox) {
        self.label = label
        self.handle = handle
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let stamp = ISO8601DateFormatter().string(from: Date())
        let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let extra = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        handle.write("\(stamp) \(event.level) \(label): \(event.message)\(extra)\n")
    }
}

/// One open log file shared by every logger; writes are serialised by a lock.
final class FileHandleBox: Sendable {
    private let fd: Mutex<Int32>

    init(path: String) throws(ConfigError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw ConfigError(message: "cannot open the log file \(path): \(String(cString: strerror(errno)))") }
        self.fd = Mutex(fd)
    }

    func write(_ line: String) {
        let bytes = Array(line.utf8)
        fd.withLock { fd in _ = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) } }
    }

    deinit { fd.withLock { _ = close($0) } }
}
