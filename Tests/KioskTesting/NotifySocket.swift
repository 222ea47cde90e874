import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The test standing in for systemd's notify socket: a bound AF_UNIX datagram socket, given to kioskd as `$NOTIFY_SOCKET`,
/// that collects what arrives (READY=1, STATUS=…, WATCHDOG=1).
public final class NotifySocket: @unchecked Sendable {
    public let path: String
    let fd: Int32

    public init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.enumerated() { raw[i] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw HarnessError("cannot bind \(path)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Every datagram that arrives within `seconds`.
    public func collect(for seconds: Double) -> [String] {
        var messages: [String] = []
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if let message = next() { messages.append(message) }
        }
        return messages
    }

    /// Blocks until a datagram containing `text` arrives; nil when none does within `seconds`.
    public func first(containing text: String, seconds: Double) -> String? {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if let message = next(), message.contains(text) { return message }
        }
        return nil
    }

    /// The next datagram, or nil after the 100 ms receive timeout.
    private func next() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buffer, buffer.count, 0)
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : nil
    }

    deinit { close(fd) }
}
