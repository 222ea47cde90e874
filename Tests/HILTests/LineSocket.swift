import Foundation
import KioskTesting

#if canImport(Glibc)
    import Glibc
#endif

/// A Unix stream socket read and written in lines, with a deadline on every read: QMP and the bench agent both speak lines.
final class LineSocket: @unchecked Sendable {
    private let fd: Int32
    private var pending: [UInt8] = []
    private let lock = NSLock()

    init(path: String, seconds: Double = 10) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in path.utf8.enumerated() where index < raw.count - 1 { raw[index] = byte }
            }
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            if connected == 0 {
                self.fd = fd
                return
            }
            close(fd)
            guard Date() < deadline else { throw HarnessError("cannot connect to \(path)") }
            usleep(50_000)
        }
    }

    deinit { close(fd) }

    func send(_ line: String) throws {
        let bytes = Array((line + "\n").utf8)
        try lock.withLock {
            var sent = 0
            while sent < bytes.count {
                // send with MSG_NOSIGNAL: a QEMU that died is an error here, not a SIGPIPE that ends the test run.
                let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { throw HarnessError("write failed: \(String(cString: strerror(errno)))") }
                sent += n
            }
        }
    }

    /// The next line, or an error once `seconds` pass without one.
    func line(seconds: Double) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                return line.hasSuffix("\r") ? String(line.dropLast()) : line
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw HarnessError("no answer within \(seconds) s") }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(min(left, 1) * 1000) + 1) >= 0 else { continue }
            guard poller.revents != 0 else { continue }
            let n = read(fd, &chunk, chunk.count)
            guard n > 0 else { throw HarnessError("the connection closed") }
            pending += chunk[..<n]
        }
    }
}
