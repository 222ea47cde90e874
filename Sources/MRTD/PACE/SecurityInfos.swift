/// SecurityInfos (Doc 9303-11, 9.2): a DER `SET OF SecurityInfo`, each a SEQUENCE of a protocol OID, required data and
/// optional data. EF.CardAccess holds the PACE ones; DG14 those of chip authentication.
///
/// Every SecurityInfo is kept with its OID and raw parts, so an unknown protocol is skipped rather than refused; a structure
/// that does not parse is ``MRTDError/malformedStructure(_:)``.
public struct SecurityInfos: Sendable, Equatable {
    public struct Info: Sendable, Equatable {
        public let oid: OID
        public let required: TLV
        public let optional: TLV?
    }

    public let infos: [Info]

    public init(der bytes: [UInt8]) throws(MRTDError) {
        let top = try Self.parse(bytes, "SecurityInfos")
        guard top.count == 1, top[0].tag == 0x31 else { throw .malformedStructure("SecurityInfos is not one SET") }
        var infos: [Info] = []
        for element in try Self.parse(top[0].value, "SecurityInfos") {
            guard element.tag == 0x30 else { throw .malformedStructure("a SecurityInfo that is not a SEQUENCE") }
            let parts = try Self.parse(element.value, "a SecurityInfo")
            guard (2...3).contains(parts.count), parts[0].tag == 0x06 else {
                throw .malformedStructure("a SecurityInfo without an OID and its data")
            }
            infos.append(
                Info(oid: try OID(bytes: parts[0].value), required: parts[1], optional: parts.count == 3 ? parts[2] : nil))
        }
        guard !infos.isEmpty else { throw .malformedStructure("SecurityInfos is empty") }
        self.infos = infos
    }

    /// The PACEInfos (id-PACE OIDs whose required data is an INTEGER version); PACEDomainParameterInfos are not among them.
    public var pace: [PACEInfo] {
        get throws(MRTDError) {
            var found: [PACEInfo] = []
            for info in infos where info.oid.isUnder(PACEProtocol.arc) && info.required.tag == 0x02 {
                let parameter: Int? =
                    if let optional = info.optional {
                        try Self.integer(optional, "a PACEInfo's parameter ID")
                    } else { nil }
                found.append(
                    PACEInfo(
                        oid: info.oid, version: try Self.integer(info.required, "a PACEInfo's version"), parameterID: parameter))
            }
            return found
        }
    }

    /// The PACE protocol the kiosk prefers among those offered: elliptic before finite-field, then the stronger cipher,
    /// then the larger group. Nil when none is supported.
    public var preferredPACE: PACEInfo? {
        get throws(MRTDError) {
            try pace.filter(\.isSupported).max { a, b in
                rank(a).lexicographicallyPrecedes(rank(b))
            }
        }
    }

    private func rank(_ info: PACEInfo) -> [Int] {
        let proto = info.protocol!
        let domain = PACEDomain(id: info.parameterID!)!
        return [proto.agreement == .ecdh ? 1 : 0, proto.cipher.keyLength, proto.cipher == .tripleDES ? 0 : 1, domain.strength]
    }

    // MARK: - DER helpers

    static func parse(_ bytes: [UInt8], _ what: String) throws(MRTDError) -> [TLV] {
        do {
            return try TLV.parseAll(bytes)
        } catch {
            throw .malformedStructure("\(what): \(error)")
        }
    }

    /// A small non-negative INTEGER (at most 4 content bytes).
    static func integer(_ object: TLV, _ what: String) throws(MRTDError) -> Int {
        guard object.tag == 0x02, (1...4).contains(object.value.count), object.value[0] & 0x80 == 0 else {
            throw .malformedStructure("\(what) is not a small INTEGER")
        }
        return object.value.reduce(0) { $0 << 8 | Int($1) }
    }

    /// Encodes PACEInfos as EF.CardAccess holds them, for the virtual chip and tests.
    public static func encode(pace: [PACEInfo]) -> [UInt8] {
        TLV.encode(
            0x31,
            pace.flatMap { info in
                TLV.encode(
                    0x30,
                    info.oid.encoded + TLV.encode(0x02, [UInt8(info.version)])
                        + (info.parameterID.map { TLV.encode(0x02, [UInt8($0)]) } ?? []))
            })
    }
}
