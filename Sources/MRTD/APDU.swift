/// A command APDU (ISO 7816-4), short form only: the LDS never needs extended lengths for BAC and DG1.
public struct CommandAPDU: Sendable, Equatable {
    public var cla: UInt8
    public var ins: UInt8
    public var p1: UInt8
    public var p2: UInt8
    public var data: [UInt8]
    /// Expected response length; 256 is encoded as 00.
    public var le: Int?

    public init(cla: UInt8 = 0x00, ins: UInt8, p1: UInt8, p2: UInt8, data: [UInt8] = [], le: Int? = nil) {
        self.cla = cla
        self.ins = ins
        self.p1 = p1
        self.p2 = p2
        self.data = data
        self.le = le
    }

    public var bytes: [UInt8] {
        var out = [cla, ins, p1, p2]
        if !data.isEmpty { out += [UInt8(data.count)] + data }
        if let le { out.append(UInt8(truncatingIfNeeded: le == 256 ? 0 : le)) }
        return out
    }

    /// Parses a short command APDU (the emulator's side); nil when the lengths do not add up.
    public init?(bytes: [UInt8]) {
        guard bytes.count >= 4 else { return nil }
        self.init(cla: bytes[0], ins: bytes[1], p1: bytes[2], p2: bytes[3])
        let body = bytes.dropFirst(4)
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
