#if canImport(Glibc)
    import Glibc
#endif

/// Whole reads and writes on a blocking socket, for the two links a virtual card speaks (vpcd's and QEMU's VSCard).
enum SocketIO {
    /// Exactly `count` bytes, or nil when the peer closed first.
    static func readExactly(_ socket: Int32, _ count: Int, failure: (String) -> any Error) throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(socket, $0.baseAddress! + filled, count - filled) }
            if n == 0 { return nil }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("read: \(String(cString: strerror(errno)))")
            }
            filled += n
        }
        return buffer
    }

    static func writeAll(_ socket: Int32, _ bytes: [UInt8], failure: (String) -> any Error) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(socket, $0.baseAddress! + sent, bytes.count - sent) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("write: \(String(cString: strerror(errno)))")
            }
            sent += n
        }
    }
}
