import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The card's side of QEMU's `ccid-card-passthru`: the VSCard protocol on a chardev (a Unix socket QEMU listens on), which
/// makes the chip a card in a real USB CCID reader (`usb-ccid`) for the guest's libccid and pcscd.
///
/// Every message is a header of three big-endian 32-bit words (type, reader id, payload length) and the payload. The card
/// sends Init (magic `VSCD`, version 0.0.2), ReaderAdd, then its ATR; QEMU answers each with Init or Error (code 0 is
/// success). Then QEMU sends the guest's command APDUs, each answered with one response APDU. CardRemove takes the card
/// off the reader. QEMU's own checks are held to here too: an ATR at most 32 bytes, TS 3B or 3F.
public final class VSCardLink: Sendable {
    public struct LinkError: Error, CustomStringConvertible {
        public let description: String
    }

    enum Message: UInt32 {
        case initialise = 1, error, readerAdd, readerRemove, atr, cardRemove, apdu, flush, flushComplete
    }

    static let version: UInt32 = 2
    static let magic: [UInt8] = Array("VSCD".utf8)
    /// QEMU's buffer for one incoming message (VSCARD_IN_SIZE is 64 KiB); more from the host is a broken peer.
    static let maxPayload = 65_536

    let socket: Int32
    private let writeLock = Mutex(())
    private let readerID: UInt32 = 0

    init(socket: Int32) { self.socket = socket }

    /// Connects to QEMU's chardev socket, retrying every 100 ms for `wait` seconds while QEMU is not listening yet.
    public static func connect(path: String, wait: Double = 10) throws -> VSCardLink {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw LinkError(description: "path too long") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        var waited = 0.0
        while true {
            let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw LinkError(description: "socket: \(String(cString: strerror(errno)))") }
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            if result == 0 { return VSCardLink(socket: fd) }
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            guard waited < wait else { throw LinkError(description: "QEMU's chardev at \(path): \(reason)") }
            usleep(100_000)
            waited += 0.1
        }
    }

    /// Puts the card in the reader: Init, ReaderAdd and the ATR, each acknowledged by QEMU.
    public func insert(atr: [UInt8], readerName: String = "kiosk-emrtd") throws {
        guard atr.count >= 2, atr.count <= 32, atr[0] == 0x3B || atr[0] == 0x3F else {
            throw LinkError(description: "an ATR QEMU would refuse")
        }
        try send(.initialise, payload: Self.magic + Self.word(Self.version) + Self.word(0))
        try send(.readerAdd, payload: Array(readerName.utf8))
        // QEMU answers ReaderAdd with success for reader 0, or "cannot add more" when a card's reader is still attached
        // from an earlier connection: the same reader, so the card goes on it either way.
        try awaitAnswer(accepting: [0, 2])
        try send(.atr, payload: atr)
        try awaitAnswer(accepting: [0])
    }

    /// Takes the card off the reader, as pulling it would. Safe to call from another thread while `serve` runs.
    public func remove() {
        try? send(.cardRemove, payload: [])
    }

    /// Answers the guest's APDUs with `respond` until QEMU closes the connection.
    public func serve(_ respond: ([UInt8]) -> [UInt8]) throws {
        while let (type, payload) = try receive() {
            switch type {
            case .apdu: try send(.apdu, payload: respond(payload))
            case .flush: try send(.flushComplete, payload: [])
            case .initialise, .error: continue
            default: throw LinkError(description: "QEMU sent message type \(type.rawValue), which only a card sends")
            }
        }
    }

    public func close() { Glibc.close(socket) }

    private func awaitAnswer(accepting codes: Set<UInt32>) throws {
        while let (type, payload) = try receive() {
            switch type {
            case .initialise:
                guard payload.count >= 8, Array(payload[0..<4]) == Self.magic else {
                    throw LinkError(description: "QEMU's Init has the wrong magic")
                }
            case .error:
                guard payload.count >= 4 else { throw LinkError(description: "QEMU's Error message is short") }
                let code = Self.unword(payload, at: 0)
                guard codes.contains(code) else { throw LinkError(description: "QEMU refused with VSCard error \(code)") }
                return
            default: throw LinkError(description: "QEMU sent message type \(type.rawValue) before acknowledging the card")
            }
        }
        throw LinkError(description: "QEMU closed the connection")
    }

    func send(_ type: Message, payload: [UInt8]) throws {
        let frame = Self.word(type.rawValue) + Self.word(readerID) + Self.word(UInt32(payload.count)) + payload
        try writeLock.withLock { _ in try SocketIO.writeAll(socket, frame) { LinkError(description: $0) } }
    }

    func receive() throws -> (Message, [UInt8])? {
        guard let header = try readExactly(12) else { return nil }
        let rawType = Self.unword(header, at: 0)
        let length = Int(Self.unword(header, at: 8))
        guard let type = Message(rawValue: rawType) else { throw LinkError(description: "unknown VSCard message \(rawType)") }
        guard length <= Self.maxPayload else { throw LinkError(description: "a VSCard payload of \(length) bytes") }
        guard let payload = try readExactly(length) else { return nil }
        return (type, payload)
    }

    func readExactly(_ count: Int) throws -> [UInt8]? {
        try SocketIO.readExactly(socket, count) { LinkError(description: $0) }
    }

    static func word(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    static func unword(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
