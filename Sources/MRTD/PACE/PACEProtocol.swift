/// A PACE protocol OID taken apart: id-PACE (0.4.0.127.0.7.2.2.4), then the agreement and mapping, then the cipher.
public struct PACEProtocol: Sendable, Equatable, CustomStringConvertible {
    public enum Agreement: String, Sendable { case dh = "DH", ecdh = "ECDH" }
    public enum Mapping: String, Sendable { case generic = "GM", integrated = "IM", chipAuthentication = "CAM" }

    public let agreement: Agreement
    public let mapping: Mapping
    public let cipher: BlockCipher

    public static let arc = OID("0.4.0.127.0.7.2.2.4")

    public init?(oid: OID) {
        guard oid.isUnder(Self.arc), oid.bytes.count == Self.arc.bytes.count + 2 else { return nil }
        let kind = oid.bytes[oid.bytes.count - 2]
        let cipherCode = oid.bytes[oid.bytes.count - 1]
        switch kind {
        case 1: (agreement, mapping) = (.dh, .generic)
        case 2: (agreement, mapping) = (.ecdh, .generic)
        case 3: (agreement, mapping) = (.dh, .integrated)
        case 4: (agreement, mapping) = (.ecdh, .integrated)
        case 6: (agreement, mapping) = (.ecdh, .chipAuthentication)
        default: return nil
        }
        switch cipherCode {
        case 1: cipher = .tripleDES
        case 2: cipher = .aes128
        case 3: cipher = .aes192
        case 4: cipher = .aes256
        default: return nil
        }
        // CAM exists with AES only (Doc 9303-11, 9.2.1).
        if mapping == .chipAuthentication && cipher == .tripleDES { return nil }
    }

    public init(agreement: Agreement, mapping: Mapping, cipher: BlockCipher) {
        self.agreement = agreement
        self.mapping = mapping
        self.cipher = cipher
    }

    public var oid: OID {
        let kind: UInt8 =
            switch (agreement, mapping) {
            case (.dh, .generic): 1
            case (.ecdh, .generic): 2
            case (.dh, .integrated): 3
            case (.ecdh, .integrated): 4
            case (_, .chipAuthentication): 6
            }
        let cipherCode: UInt8 =
            switch cipher {
            case .tripleDES: 1
            case .aes128: 2
            case .aes192: 3
            case .aes256: 4
            }
        return try! OID(bytes: Self.arc.bytes + [kind, cipherCode])
    }

    /// "PACE-ECDH-GM-AES-256".
    public var description: String { "PACE-\(agreement.rawValue)-\(mapping.rawValue)-\(cipher)" }
}
