/// EF.SOD (Doc 9303-10, 4.6.2): tag 77 around a CMS SignedData whose content is the LDSSecurityObject, the hash of every
/// data group on the chip, signed by the Document Signer.
public struct SecurityObject {
    /// id-icao-ldsSecurityObject, and the type Dutch documents put there instead.
    public static let contentTypes = ["2.23.136.1.1.1", "1.2.528.1.1006.1.20.1"]

    /// The hash function the data groups were hashed with.
    public let digest: String
    /// Data-group number → hash.
    public let hashes: [Int: [UInt8]]
    let cms: CMSSignedData

    /// Parses EF.SOD as read from the chip.
    public init(sod bytes: [UInt8]) throws(MRTDError) {
        let outer = try SecurityInfos.parse(bytes, "EF.SOD")
        guard outer.count == 1, outer[0].tag == 0x77 else { throw .malformedStructure("EF.SOD is not one tag 77") }
        cms = try CMSSignedData(der: outer[0].value, "EF.SOD")
        guard Self.contentTypes.contains(cms.contentType) else {
            throw .malformedStructure("EF.SOD's content is \(cms.contentType), not an LDS security object")
        }
        guard let content = cms.content else { throw .malformedStructure("EF.SOD has no content") }
        (digest, hashes) = try Self.parseLDSSecurityObject(content)
    }

    /// LDSSecurityObject ::= SEQUENCE { version, hashAlgorithm, dataGroupHashValues SEQUENCE OF { number, hash },
    /// ldsVersionInfo OPTIONAL }.
    public static func parseLDSSecurityObject(_ bytes: [UInt8]) throws(MRTDError) -> (String, [Int: [UInt8]]) {
        let top = try SecurityInfos.parse(bytes, "the LDS security object")
        guard top.count == 1, top[0].tag == 0x30 else { throw .malformedStructure("the LDS security object is not a SEQUENCE") }
        let fields = try SecurityInfos.parse(top[0].value, "the LDS security object")
        guard (3...4).contains(fields.count), fields[0].tag == 0x02, fields[1].tag == 0x30, fields[2].tag == 0x30 else {
            throw .malformedStructure("the LDS security object lacks its version, hash algorithm or hashes")
        }
        let version = try SecurityInfos.integer(fields[0], "the LDS security object's version")
        guard version <= 1 else { throw .malformedStructure("LDS security object version \(version)") }
        let algorithm = try SecurityInfos.parse(fields[1].value, "the hash algorithm")
        guard let oid = algorithm.first, oid.tag == 0x06 else { throw .malformedStructure("the hash algorithm has no OID") }
        let dotted = try OID(bytes: oid.value).dotted
        guard let digest = EVP.Digest(oid: dotted) else { throw .unsupportedProtocol("hash algorithm \(dotted)") }
        var hashes: [Int: [UInt8]] = [:]
        for entry in try SecurityInfos.parse(fields[2].value, "the data-group hashes") {
            let pair = try SecurityInfos.parse(entry.value, "a data-group hash")
            guard entry.tag == 0x30, pair.count == 2, pair[1].tag == 0x04 else {
                throw .malformedStructure("a data-group hash is not a number and an OCTET STRING")
            }
            let number = try SecurityInfos.integer(pair[0], "a data-group number")
            guard (1...16).contains(number), hashes[number] == nil else {
                throw .malformedStructure("data group \(number) in the LDS security object")
            }
            hashes[number] = pair[1].value
        }
        return (digest.rawValue, hashes)
    }

    /// The LDSSecurityObject over `dataGroups` (number → the file as read), DER.
    package static func encodeLDSSecurityObject(_ dataGroups: [Int: [UInt8]], digest: EVP.Digest) -> [UInt8] {
        let oid: String =
            switch digest {
            case .sha1: "1.3.14.3.2.26"
            case .sha224: "2.16.840.1.101.3.4.2.4"
            case .sha256: "2.16.840.1.101.3.4.2.1"
            case .sha384: "2.16.840.1.101.3.4.2.2"
            case .sha512: "2.16.840.1.101.3.4.2.3"
            }
        let hashes = dataGroups.keys.sorted().flatMap { number in
            TLV.encode(0x30, TLV.encode(0x02, [UInt8(number)]) + TLV.encode(0x04, digest.hash(dataGroups[number]!)))
        }
        return TLV.encode(
            0x30, TLV.encode(0x02, [0]) + TLV.encode(0x30, OID(oid).encoded + [0x05, 0x00]) + TLV.encode(0x30, hashes))
    }

    /// EF.SOD over `dataGroups`, signed by `signer`: what a chip carries. `type` may be the Dutch content type.
    package static func sign(
        _ dataGroups: [Int: [UInt8]], digest: EVP.Digest = .sha256, signer: Certificate, key: PrivateKey,
        type: String = contentTypes[0]
    ) throws(MRTDError) -> [UInt8] {
        let cms = try CMSSignedData.sign(
            encodeLDSSecurityObject(dataGroups, digest: digest), type: type, signer: signer, key: key)
        return TLV.encode(0x77, cms)
    }
}
