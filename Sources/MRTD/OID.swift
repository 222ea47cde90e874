/// An ASN.1 object identifier, kept as its DER content bytes and shown dotted. Chips name every protocol by one.
public struct OID: Sendable, Hashable, CustomStringConvertible {
    /// The content octets (without tag 06 and length).
    public let bytes: [UInt8]

    /// Checks the base-128 encoding: no empty OID, no arc that runs off the end, no leading 80 byte.
    public init(bytes: [UInt8]) throws(MRTDError) {
        guard !bytes.isEmpty, bytes.last! & 0x80 == 0 else { throw .malformedStructure("an OID that ends in the middle") }
        var startOfArc = true
        for byte in bytes {
            if startOfArc && byte == 0x80 { throw .malformedStructure("an OID arc with a leading zero") }
            startOfArc = byte & 0x80 == 0
        }
        self.bytes = bytes
    }

    /// An OID from its dotted form, for constants; traps on a malformed literal.
    public init(_ dotted: String) {
        let arcs = dotted.split(separator: ".").map { UInt64($0)! }
        precondition(arcs.count >= 2 && arcs[0] <= 2, "bad OID literal \(dotted)")
        var out: [UInt8] = []
        for arc in [arcs[0] * 40 + arcs[1]] + arcs.dropFirst(2) {
            var chunk = [UInt8(arc & 0x7F)]
            var rest = arc >> 7
            while rest > 0 {
                chunk.insert(UInt8(rest & 0x7F) | 0x80, at: 0)
                rest >>= 7
            }
            out += chunk
        }
        bytes = out
    }

    /// "0.4.0.127.0.7.2.2.4.2.2".
    public var dotted: String {
        var arcs: [UInt64] = []
        var value: UInt64 = 0
        for byte in bytes {
            // Arcs beyond 64 bits do not occur in the LDS; they are cut rather than trapped on.
            value = (value << 7) | UInt64(byte & 0x7F)
            if byte & 0x80 == 0 {
                arcs.append(value)
                value = 0
            }
        }
        guard let first = arcs.first else { return "" }
        let head: [UInt64] = first < 80 ? [first / 40, first % 40] : [2, first - 80]
        return (head + arcs.dropFirst()).map(String.init).joined(separator: ".")
    }

    public var description: String { dotted }

    /// The DER encoding, tag and length included.
    public var encoded: [UInt8] { TLV.encode(0x06, bytes) }

    /// Whether this OID lies under `arc` (or is it).
    public func isUnder(_ arc: OID) -> Bool { bytes.starts(with: arc.bytes) }
}
