#if canImport(Glibc)
    import Glibc
#endif

/// The virtual card's side of vsmartcard's vpcd driver: a TCP connection to pcscd, over which pcscd sends frames of a 2-byte
/// big-endian length and a payload. A 1-byte payload is control (00 off, 01 on, 02 reset, 04 ATR); anything else is a command
/// APDU, answered with the response APDU. The card counts as inserted while the connection is open.
///
/// Blocking I/O on the caller's thread: the emulator is a process of its own with nothing else to do.
public struct VPCDLink {
    public struct LinkError: Error, CustomStringConvertible {
        public let description: String
    }

    let socket: Int32

    /// Connects to vpcd, retrying every 100 ms for `wait` seconds while pcscd is not listening yet.
    public static func connect(host: String = "127.0.0.1", port: UInt16 = 35963, wait: Double = 10) throws -> VPCDLink {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw LinkError(description: "bad address \(host)") }
        var waited = 0.0
        while true {
            let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw LinkError(description: "socket: \(String(cString: strerror(errno)))") }
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if result == 0 {
                var on: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
                return VPCDLink(socket: fd)
            }
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            guard waited < wait else { throw LinkError(description: "vpcd at \(host):\(port): \(reason)") }
            usleep(100_000)
            waited += 0.1
        }
    }

    /// Serves `chip` until pcscd closes the connection.
    public func serve(_ chip: VirtualChip, delay milliseconds: Int = 0) throws {
        while let frame = try read() {
            if frame.count == 1 {
                switch frame[0] {
                case 0x00, 0x01, 0x02: chip.reset()
                case 0x04: try write(VirtualChip.atr)
                default: break
                }
            } else {
                if milliseconds > 0 { usleep(useconds_t(milliseconds) * 1000) }
                try write(chip.respond(frame))
            }
        }
    }

    public func close() { Glibc.close(socket) }

    func read() throws -> [UInt8]? {
        guard let head = try readExactly(2) else { return nil }
        let length = Int(head[0]) << 8 | Int(head[1])
        return try readExactly(length)
    }

    func readExactly(_ count: Int) throws -> [UInt8]? {
        // pcscd sends a frame's length and its payload in two writes; with our ACK delayed, Nagle holds the payload back
        // for some 40 ms per APDU. Quick ACKs (re-armed before every read: Linux clears the flag) take that wait away.
        var on: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_QUICKACK, &on, socklen_t(MemoryLayout<Int32>.size))
        return try SocketIO.readExactly(socket, count) { LinkError(description: $0) }
    }

    func write(_ payload: [UInt8]) throws {
        let frame = [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)] + payload
        try SocketIO.writeAll(socket, frame) { LinkError(description: $0) }
    }
}
