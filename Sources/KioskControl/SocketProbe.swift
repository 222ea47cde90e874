#if canImport(Glibc)
    import Glibc
#endif

/// Tells a live control socket from a stale one before the HTTP client is involved: the client retries a refused connection
/// until its deadline, which would keep a technician waiting 10 s for "not running". kioskd uses it too, to tell systemd it
/// is ready only once the socket answers (a stale socket file from a crash does not count).
public enum SocketProbe {
    public enum Answer: Sendable { case listening, refused, unusable }

    public static func check(_ path: String) -> Answer {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return .unusable }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return .unusable }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (i, byte) in bytes.enumerated() { buffer[i] = byte }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if result == 0 { return .listening }
        return errno == ECONNREFUSED || errno == ENOENT ? .refused : .unusable
    }
}
