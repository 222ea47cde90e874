/// EF.DG14 (Doc 9303-11, 9.2): the SecurityInfos for chip authentication, its public key, and which signature active
/// authentication makes with an EC key.
public struct DataGroup14: Sendable {
    /// A ChipAuthenticationInfo: the protocol (ECDH, with a cipher for the new channel) and which key it uses.
    public struct ChipAuthentication: Sendable, Equatable {
        public let oid: OID
        public let cipher: BlockCipher
        public let keyID: Int?
    }

    /// A ChipAuthenticationPublicKeyInfo: the chip's static key, as a SubjectPublicKeyInfo.
    public struct ChipPublicKey: Sendable, Equatable {
        public let subjectPublicKeyInfo: [UInt8]
        public let keyID: Int?
    }

    /// id-CA (BSI TR-03110): .2 is ECDH, then the cipher (1 3DES, 2 AES-128, 3 AES-192, 4 AES-256).
    public static let chipAuthenticationArc = OID("0.4.0.127.0.7.2.2.3")
    public static let ecdhPublicKey = OID("0.4.0.127.0.7.2.2.1.2")
    /// id-icao-mrtd-security-aaProtocolObject.
    public static let activeAuthenticationInfo = OID("2.23.136.1.1.5")
    /// ecdsa-plain-signatures (BSI TR-03111): .1 SHA-1 … .5 SHA-512.
    static let ecdsaPlain = OID("0.4.0.127.0.7.1.1.4.1")

    /// The ECDH variants with AES the kiosk runs; others (DH, 3DES) are skipped, as if absent.
    public let chipAuthentication: [ChipAuthentication]
    public let publicKeys: [ChipPublicKey]
    /// The hash an EC active-authentication signature is made over; nil when DG14 says nothing (RSA keys need nothing).
    public let activeAuthenticationDigest: String?

    /// Parses EF.DG14 as read (tag 6E around SecurityInfos).
    public init(_ bytes: [UInt8]) throws(MRTDError) {
        let outer = try SecurityInfos.parse(bytes, "EF.DG14")
        guard outer.count == 1, outer[0].tag == 0x6E else { throw .malformedStructure("EF.DG14 is not one tag 6E") }
        let infos = try SecurityInfos(der: outer[0].value).infos
        var protocols: [ChipAuthentication] = []
        var keys: [ChipPublicKey] = []
        var digest: String?
        for info in infos {
            func keyID() throws(MRTDError) -> Int? {
                try info.optional.map { (tlv: TLV) throws(MRTDError) in try SecurityInfos.integer(tlv, "a key ID") }
            }
            if info.oid.isUnder(Self.chipAuthenticationArc), info.oid.bytes.count == Self.chipAuthenticationArc.bytes.count + 2,
                info.oid.bytes[info.oid.bytes.count - 2] == 2
            {
                let cipher: BlockCipher? =
                    switch info.oid.bytes.last {
                    case 2: .aes128
                    case 3: .aes192
                    case 4: .aes256
                    default: nil
                    }
                _ = try SecurityInfos.integer(info.required, "a ChipAuthenticationInfo's version")
                if let cipher { protocols.append(ChipAuthentication(oid: info.oid, cipher: cipher, keyID: try keyID())) }
            } else if info.oid == Self.ecdhPublicKey {
                guard info.required.tag == 0x30 else {
                    throw .malformedStructure("a chip key that is not a SubjectPublicKeyInfo")
                }
                keys.append(ChipPublicKey(subjectPublicKeyInfo: info.required.encoded, keyID: try keyID()))
            } else if info.oid == Self.activeAuthenticationInfo, let algorithm = info.optional, algorithm.tag == 0x06 {
                let oid = try OID(bytes: algorithm.value)
                guard oid.isUnder(Self.ecdsaPlain), let last = oid.bytes.last, (1...5).contains(last) else {
                    throw .unsupportedProtocol("active authentication with \(oid)")
                }
                digest = [EVP.Digest.sha1, .sha224, .sha256, .sha384, .sha512][Int(last) - 1].rawValue
            }
        }
        chipAuthentication = protocols
        publicKeys = keys
        activeAuthenticationDigest = digest
    }

    /// The protocol and key to use: the first supported ChipAuthenticationInfo whose key is here.
    public var preferred: (ChipAuthentication, ChipPublicKey)? {
        for info in chipAuthentication {
            if let key = publicKeys.first(where: { info.keyID == nil || $0.keyID == nil || $0.keyID == info.keyID }) {
                return (info, key)
            }
        }
        return nil
    }

    /// EF.DG14 for the virtual chip: chip authentication with `cipher` and the key, and the EC active-authentication hash.
    package static func encode(chipKey: [UInt8]?, cipher: BlockCipher, activeAuthenticationDigest: EVP.Digest?) -> [UInt8] {
        var infos: [[UInt8]] = []
        if let chipKey {
            let code: UInt8 = [.aes128: 2, .aes192: 3, .aes256: 4][cipher] ?? 1
            let oid = try! OID(bytes: chipAuthenticationArc.bytes + [2, code])
            infos.append(TLV.encode(0x30, oid.encoded + TLV.encode(0x02, [1])))
            infos.append(TLV.encode(0x30, ecdhPublicKey.encoded + chipKey))
        }
        if let digest = activeAuthenticationDigest {
            let index = UInt8(EVP.Digest.allCases.firstIndex(of: digest)! + 1)
            let algorithm = try! OID(bytes: ecdsaPlain.bytes + [index])
            infos.append(TLV.encode(0x30, activeAuthenticationInfo.encoded + TLV.encode(0x02, [1]) + algorithm.encoded))
        }
        return TLV.encode(0x6E, TLV.encode(0x31, infos.joined().map { $0 }))
    }
}
