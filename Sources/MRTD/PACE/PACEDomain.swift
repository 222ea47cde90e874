import COpenSSL

/// The standardized domain parameters of Doc 9303-11, 9.5.1, by their PACE parameter ID.
public enum PACEDomain: Int, Sendable, CaseIterable {
    case modp1024 = 0, modp2048s224 = 1, modp2048s256 = 2
    case secp192r1 = 8, brainpoolP192r1 = 9, secp224r1 = 10, brainpoolP224r1 = 11, secp256r1 = 12, brainpoolP256r1 = 13
    case brainpoolP320r1 = 14, secp384r1 = 15, brainpoolP384r1 = 16, brainpoolP512r1 = 17, secp521r1 = 18

    public init?(id: Int) { self.init(rawValue: id) }

    public var isElliptic: Bool { rawValue >= 8 }

    /// The bits of security the group gives, roughly its order's size: how the kiosk ranks what a chip offers.
    var strength: Int {
        switch self {
        case .modp1024: 160
        case .modp2048s224: 224
        case .modp2048s256: 256
        case .secp192r1, .brainpoolP192r1: 192
        case .secp224r1, .brainpoolP224r1: 224
        case .secp256r1, .brainpoolP256r1: 256
        case .brainpoolP320r1: 320
        case .secp384r1, .brainpoolP384r1: 384
        case .brainpoolP512r1: 512
        case .secp521r1: 521
        }
    }

    /// The OpenSSL NID of a curve; nil for a MODP group.
    package var curveNID: Int32? {
        switch self {
        case .modp1024, .modp2048s224, .modp2048s256: nil
        case .secp192r1: NID_X9_62_prime192v1
        case .brainpoolP192r1: NID_brainpoolP192r1
        case .secp224r1: NID_secp224r1
        case .brainpoolP224r1: NID_brainpoolP224r1
        case .secp256r1: NID_X9_62_prime256v1
        case .brainpoolP256r1: NID_brainpoolP256r1
        case .brainpoolP320r1: NID_brainpoolP320r1
        case .secp384r1: NID_secp384r1
        case .brainpoolP384r1: NID_brainpoolP384r1
        case .brainpoolP512r1: NID_brainpoolP512r1
        case .secp521r1: NID_secp521r1
        }
    }

    package func group() throws(MRTDError) -> any KeyAgreementGroup {
        if let nid = curveNID { return try ECGroup(curve: nid) }
        return try DHGroup(standardized: rawValue)
    }

    public var name: String {
        switch self {
        case .modp1024: "MODP-1024-160"
        case .modp2048s224: "MODP-2048-224"
        case .modp2048s256: "MODP-2048-256"
        case .secp192r1: "P-192"
        case .secp224r1: "P-224"
        case .secp256r1: "P-256"
        case .secp384r1: "P-384"
        case .secp521r1: "P-521"
        default: "\(self)"
        }
    }
}
