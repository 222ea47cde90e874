/// A conversation with one chip: plain until access control opens a secure channel, protected after, and the file reads
/// both need.
///
/// `channel` is replaced when chip authentication restarts secure messaging under new keys.
struct CardSession<Transport: CardTransport> {
    let transport: Transport
    var channel: SecureChannel?

    /// Doc 9303-11 advises at most 223 bytes per protected READ BINARY: the answer then fits a short APDU.
    static var chunk: Int { 0xDF }
    /// The largest file the kiosk reads (EF.SOD with its certificate is the largest, some 2 to 6 KB); a card that claims
    /// more is refused rather than read for minutes. Short READ BINARY reaches offsets up to 32767.
    static var largestFile: Int { 16384 }

    init(_ transport: Transport, channel: SecureChannel? = nil) {
        self.transport = transport
        self.channel = channel
    }

    mutating func send(_ command: CommandAPDU) async throws(MRTDError) -> ResponseAPDU {
        guard var open = channel else { return try ResponseAPDU(bytes: try await transport.transmit(command.bytes)) }
        defer { channel = open }
        return try await open.send(command, over: transport)
    }

    /// SELECT then READ BINARY in chunks: the first 4 bytes give the outer TLV's length, the rest follows.
    mutating func readFile(_ id: UInt16, _ name: String) async throws(MRTDError) -> [UInt8] {
        let selected = try await send(.select(file: id))
        guard selected.isSuccess else { throw .status(selected.sw, during: "SELECT of \(name)") }
        var bytes = try await read(offset: 0, length: 4, name)
        let total = try Self.outerLength(bytes)
        guard total <= Self.largestFile else { throw .malformedTLV("\(name) claims \(total) bytes") }
        while bytes.count < total {
            let part = try await read(offset: bytes.count, length: min(Self.chunk, total - bytes.count), name)
            guard !part.isEmpty else { throw .truncated("\(name) ended at byte \(bytes.count) of \(total)") }
            bytes += part
        }
        return Array(bytes.prefix(total))
    }

    private mutating func read(offset: Int, length: Int, _ name: String) async throws(MRTDError) -> [UInt8] {
        let answer = try await send(.readBinary(offset: offset, length: length))
        // 6282: end of file reached before Le bytes; the data that came is still good.
        guard answer.isSuccess || answer.sw == 0x6282 else { throw .status(answer.sw, during: "READ BINARY of \(name)") }
        guard answer.data.count <= length else { throw .secureMessaging("READ BINARY returned more than asked") }
        return answer.data
    }

    /// The size of a whole TLV object from its first bytes: tag, length header and value.
    static func outerLength(_ head: [UInt8]) throws(MRTDError) -> Int {
        guard head.count >= 2 else { throw .truncated("a file header of \(head.count) bytes") }
        switch head[1] {
        case 0x00...0x7F: return 2 + Int(head[1])
        case 0x81:
            guard head.count >= 3 else { throw .truncated("a file header of \(head.count) bytes") }
            return 3 + Int(head[2])
        case 0x82:
            guard head.count >= 4 else { throw .truncated("a file header of \(head.count) bytes") }
            return 4 + (Int(head[2]) << 8 | Int(head[3]))
        default: throw .malformedTLV("length form \(head[1]) in a file header")
        }
    }
}
