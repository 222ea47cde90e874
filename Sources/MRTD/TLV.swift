/// BER-TLV as the LDS uses it (Doc 9303-10): tags of one to three bytes, lengths in short form or `81`/`82`/`83` long form
/// (the last only in master lists, which run past 64 KiB).
///
/// Every length is checked against what is left of the buffer before anything is read: the bytes come from a card, and a
/// card can be hostile.
public struct TLV: Sendable, Equatable {
    public var tag: UInt32
    public var value: [UInt8]

    public init(tag: UInt32, value: [UInt8]) {
        self.tag = tag
        self.value = value
    }

    /// Parses a run of TLV objects that fills `bytes` exactly.
    public static func parseAll(_ bytes: some Collection<UInt8>) throws(MRTDError) -> [TLV] {
        let bytes = Array(bytes)
        var objects: [TLV] = []
        var offset = 0
        while offset < bytes.count {
            let (object, next) = try parse(bytes, at: offset)
            objects.append(object)
            offset = next
        }
        return objects
    }

    /// Parses one object at `offset`; returns it and the offset after it.
    public static func parse(_ bytes: [UInt8], at start: Int) throws(MRTDError) -> (TLV, Int) {
        var offset = start
        func byte() throws(MRTDError) -> UInt8 {
            guard offset < bytes.count else { throw .malformedTLV("object ends early at byte \(offset)") }
            defer { offset += 1 }
            return bytes[offset]
        }
        var tag = UInt32(try byte())
        if tag & 0x1F == 0x1F {
            // Subsequent tag bytes while bit 8 is set; the LDS never needs more than three in all.
            for count in 0..<2 {
                let next = try byte()
                tag = tag << 8 | UInt32(next)
                if next & 0x80 == 0 { break }
                if count == 1 { throw .malformedTLV("tag longer than 3 bytes") }
            }
        }
        let first = try byte()
        var length: Int
        switch first {
        case 0x00...0x7F: length = Int(first)
        case 0x81: length = Int(try byte())
        case 0x82: length = Int(try byte()) << 8 | Int(try byte())
        case 0x83: length = Int(try byte()) << 16 | Int(try byte()) << 8 | Int(try byte())
        default: throw .malformedTLV("length form \(first) is not supported")
        }
        guard length <= bytes.count - offset else {
            throw .malformedTLV("length \(length) runs past the end (\(bytes.count - offset) bytes left)")
        }
        let value = Array(bytes[offset..<offset + length])
        return (TLV(tag: tag, value: value), offset + length)
    }

    /// The first object with `tag` among `objects`.
    public static func find(_ tag: UInt32, in objects: [TLV]) throws(MRTDError) -> [UInt8] {
        guard let found = objects.first(where: { $0.tag == tag }) else {
            throw .malformedTLV("tag \(String(tag, radix: 16, uppercase: true)) is missing")
        }
        return found.value
    }

    public var encoded: [UInt8] { TLV.encode(tag, value) }

    public static func encode(_ tag: UInt32, _ value: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        if tag > 0xFFFF { out.append(UInt8(tag >> 16)) }
        if tag > 0xFF { out.append(UInt8(tag >> 8 & 0xFF)) }
        out.append(UInt8(tag & 0xFF))
        switch value.count {
        case 0..<0x80: out.append(UInt8(value.count))
        case 0x80..<0x100: out += [0x81, UInt8(value.count)]
        case 0x100..<0x10000: out += [0x82, UInt8(value.count >> 8), UInt8(value.count & 0xFF)]
        default: out += [0x83, UInt8(value.count >> 16 & 0xFF), UInt8(value.count >> 8 & 0xFF), UInt8(value.count & 0xFF)]
        }
        return out + value
    }
}
