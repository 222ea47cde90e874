public import KioskCore

/// Reads the holder's identity from an eMRTD chip: SELECT the LDS applet, BAC, then EF.COM and EF.DG1 under secure
/// messaging (Doc 9303-10 and -11).
///
/// Passive and chip authentication (SOD signatures, DG14/DG15) are not done: the kiosk only needs the chip to confirm who is
/// at the screen, and BAC already proves the resident holds the document whose MRZ they gave.
public enum ChipReader {
    /// The LDS1 eMRTD application (Doc 9303-10, 4.1).
    public static let applet: [UInt8] = [0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01]
    public static let efCOM: UInt16 = 0x011E
    public static let efDG1: UInt16 = 0x0101
    /// Doc 9303-11 advises at most 223 bytes per protected READ BINARY: the answer then fits a short APDU.
    public static let chunk = 0xDF
    /// No file the kiosk reads is anywhere near this; a card that claims more is refused rather than read for minutes.
    public static let largestFile = 4096

    public struct Result: Sendable {
        public var identity: Identity
        /// Data groups EF.COM lists, by tag (0x61 is DG1).
        public var dataGroups: [UInt8]
        public var apdus: Int
    }

    public static func readIdentity(
        _ transport: some CardTransport, key: AccessKey, nonces: BAC.Nonces = .random()
    ) async throws(MRTDError) -> Result {
        let counting = CountingTransport(transport)
        let selected = try ResponseAPDU(bytes: try await counting.transmit(CommandAPDU.select(application: applet).bytes))
        guard selected.isSuccess else { throw .status(selected.sw, during: "SELECT of the eMRTD application") }
        var channel = try await BAC.authenticate(counting, key: key, nonces: nonces)

        let com = try await readFile(efCOM, with: &channel, over: counting)
        let comObjects = try TLV.parseAll(com)
        guard let comValue = comObjects.first(where: { $0.tag == 0x60 })?.value else {
            throw .malformedTLV("EF.COM has no tag 60")
        }
        let dataGroups = try TLV.find(0x5C, in: try TLV.parseAll(comValue))
        guard dataGroups.contains(0x61) else { throw .malformedDG1("EF.COM does not list DG1") }

        let dg1 = try await readFile(efDG1, with: &channel, over: counting)
        let identity = try parseDG1(dg1)
        return Result(identity: identity, dataGroups: dataGroups, apdus: await counting.count)
    }

    /// SELECT then READ BINARY in chunks: the first 4 bytes give the outer TLV's length, the rest follows.
    static func readFile(_ id: UInt16, with channel: inout SecureChannel, over transport: some CardTransport)
        async throws(MRTDError) -> [UInt8]
    {
        let name = id == efCOM ? "EF.COM" : id == efDG1 ? "EF.DG1" : "file"
        let selected = try await channel.send(.select(file: id), over: transport)
        guard selected.isSuccess else { throw .status(selected.sw, during: "SELECT of \(name)") }
        var bytes = try await read(offset: 0, length: 4, name, with: &channel, over: transport)
        let total = try outerLength(bytes)
        guard total <= largestFile else { throw .malformedTLV("\(name) claims \(total) bytes") }
        while bytes.count < total {
            let part = try await read(
                offset: bytes.count, length: min(chunk, total - bytes.count), name, with: &channel, over: transport)
            guard !part.isEmpty else { throw .truncated("\(name) ended at byte \(bytes.count) of \(total)") }
            bytes += part
        }
        return Array(bytes.prefix(total))
    }

    static func read(
        offset: Int, length: Int, _ name: String, with channel: inout SecureChannel, over transport: some CardTransport
    ) async throws(MRTDError) -> [UInt8] {
        let answer = try await channel.send(.readBinary(offset: offset, length: length), over: transport)
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

    /// DG1 is tag 61 holding 5F1F, the MRZ as printed: 90 characters for TD1, 88 for TD3.
    public static func parseDG1(_ bytes: [UInt8]) throws(MRTDError) -> Identity {
        let outer = try TLV.parseAll(bytes)
        guard let dg1 = outer.first(where: { $0.tag == 0x61 }) else { throw .malformedDG1("tag 61 is missing") }
        let mrzBytes = try TLV.find(0x5F1F, in: try TLV.parseAll(dg1.value))
        guard mrzBytes.count == 88 || mrzBytes.count == 90 else { throw .malformedDG1("an MRZ of \(mrzBytes.count) bytes") }
        guard mrzBytes.allSatisfy({ $0 < 0x80 }) else { throw .malformedDG1("non-ASCII bytes") }
        do {
            return Identity(mrz: try MRZ(String(decoding: mrzBytes, as: UTF8.self)))
        } catch {
            throw .malformedDG1("\(error)")
        }
    }
}

/// Counts APDUs on their way to the card, for the benchmark and `kioskctl cardreader test`.
actor CountingTransport<Base: CardTransport>: CardTransport {
    let base: Base
    private(set) var count = 0

    init(_ base: Base) { self.base = base }

    func transmit(_ command: [UInt8]) async throws(MRTDError) -> [UInt8] {
        count += 1
        return try await base.transmit(command)
    }
}
