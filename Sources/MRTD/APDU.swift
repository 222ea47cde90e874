/// A command APDU (ISO 7816-4). Short form where it fits; extended lengths (Lc of three bytes, Le of two) only where a
/// message needs them: PACE's GENERAL AUTHENTICATE on a 2048-bit DH group carries a 256-byte public value.
public struct CommandAPDU: Sendable, Equatable {
    public var cla: UInt8
    public var ins: UInt8
    public var p1: UInt8
    public var p2: UInt8
    public var data: [UInt8]
    /// Expected response length; 256 is encoded as 00 (short), 65536 as 0000 (extended).
    public var le: Int?

    public init(cla: UInt8 = 0x00, ins: UInt8, p1: UInt8, p2: UInt8, data: [UInt8] = [], le: Int? = nil) {
        self.cla = cla
        self.ins = ins
        self.p1 = p1
        self.p2 = p2
        self.data = data
        self.le = le
    }

    /// Whether the command needs extended lengths: more than 255 bytes of data, or more than 256 expected.
    public var isExtended: Bool { data.count > 255 || (le ?? 0) > 256 }

    public var bytes: [UInt8] {
        var out = [cla, ins, p1, p2]
        if isExtended {
            if !data.isEmpty { out += [0x00, UInt8(data.count >> 8), UInt8(data.count & 0xFF)] + data }
            if let le {
                let value = le == 65536 ? 0 : le
                out += (data.isEmpty ? [0x00] : []) + [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
            }
            return out
        }
        if !data.isEmpty { out += [UInt8(data.count)] + data }
        if let le { out.append(UInt8(truncatingIfNeeded: le == 256 ? 0 : le)) }
        return out
    }

    /// Parses a short command APDU (the emulator's side); nil when the lengths do not add up.
    public init?(bytes: [UInt8]) {
        guard bytes.count >= 4 else { return nil }
        self.init(cla: bytes[0], ins: bytes[1], p1: bytes[2], p2: bytes[3])
        let body = bytes.dropFirst(4)
        if body.count >= 3, body.first == 0 {
            guard let extended = Self.extended(Array(body)) else { return nil }
            (data, le) = extended
            return
        }
        switch body.count {
        case 0: break
        case 1: le = body.first == 0 ? 256 : Int(body.first!)
        default:
            let lc = Int(body.first!)
            guard lc > 0, body.count == 1 + lc || body.count == 2 + lc else { return nil }
            data = Array(body.dropFirst().prefix(lc))
            if body.count == 2 + lc { le = body.last == 0 ? 256 : Int(body.last!) }
        }
    }

    /// The body of an extended-length APDU (after the header): 00 Le1 Le2, or 00 Lc1 Lc2 data [Le1 Le2].
    private static func extended(_ body: [UInt8]) -> ([UInt8], Int?)? {
        let two = Int(body[1]) << 8 | Int(body[2])
        if body.count == 3 { return ([], two == 0 ? 65536 : two) }
        guard two > 0 else { return nil }
        switch body.count - 3 - two {
        case 0: return (Array(body[3...]), nil)
        case 2:
            let le = Int(body[body.count - 2]) << 8 | Int(body[body.count - 1])
            return (Array(body[3..<3 + two]), le == 0 ? 65536 : le)
        default: return nil
        }
    }

    static func select(application aid: [UInt8]) -> CommandAPDU {
        CommandAPDU(ins: 0xA4, p1: 0x04, p2: 0x0C, data: aid)
    }

    static func select(file id: UInt16) -> CommandAPDU {
        CommandAPDU(ins: 0xA4, p1: 0x02, p2: 0x0C, data: [UInt8(id >> 8), UInt8(id & 0xFF)])
    }

    static func readBinary(offset: Int, length: Int) -> CommandAPDU {
        CommandAPDU(ins: 0xB0, p1: UInt8(offset >> 8 & 0x7F), p2: UInt8(offset & 0xFF), le: length)
    }
}

/// A response APDU: data and the two status bytes.
public struct ResponseAPDU: Sendable, Equatable {
    public var data: [UInt8]
    public var sw: UInt16

    public init(data: [UInt8] = [], sw: UInt16) {
        self.data = data
        self.sw = sw
    }

    public init(bytes: [UInt8]) throws(MRTDError) {
        guard bytes.count >= 2 else { throw .truncated("a response APDU of \(bytes.count) bytes has no status word") }
        data = Array(bytes.dropLast(2))
        sw = UInt16(bytes[bytes.count - 2]) << 8 | UInt16(bytes[bytes.count - 1])
    }

    public var bytes: [UInt8] { data + [UInt8(sw >> 8), UInt8(sw & 0xFF)] }
    public var isSuccess: Bool { sw == 0x9000 }

    public static let ok: UInt16 = 0x9000
    public static let securityNotSatisfied: UInt16 = 0x6982
}

/// How APDUs reach a card: PC/SC in the kiosk, a replay of recorded exchanges in tests, the emulator in-process.
///
/// `transmit` sends a whole command APDU and returns the whole response, status word included.
public protocol CardTransport: Sendable {
    func transmit(_ command: [UInt8]) async throws(MRTDError) -> [UInt8]
}
