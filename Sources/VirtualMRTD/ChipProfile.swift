public import MRTD

/// What a virtual document offers: its PACE protocols (EF.CardAccess), whether it still answers BAC, and a CAN.
///
/// The named profiles follow real Dutch documents: passports since July 2022 and ID cards since August 2022 offer PACE only.
public struct ChipProfile: Sendable, Equatable {
    public var name: String
    /// EF.CardAccess's PACEInfos; empty means the chip has no EF.CardAccess.
    public var pace: [PACEInfo]
    public var bac: Bool
    /// The card access number, when the chip accepts one as a PACE password.
    public var can: String?
    /// The chip refuses the MRZ as a PACE password (6A88) and takes only the CAN.
    public var canOnly: Bool
    /// Chip authentication (DG14): the curve of the chip's key (an OpenSSL curve name) and the cipher of the new channel.
    public var chipAuthentication: (curve: String, cipher: BlockCipher)?
    /// Active authentication (DG15): `rsa-BITS` or `ec-CURVE`.
    public var activeAuthentication: String?

    public init(
        name: String, pace: [PACEInfo], bac: Bool, can: String? = nil, canOnly: Bool = false,
        chipAuthentication: (curve: String, cipher: BlockCipher)? = nil, activeAuthentication: String? = nil
    ) {
        self.name = name
        self.pace = pace
        self.bac = bac
        self.can = can
        self.canOnly = canOnly
        self.chipAuthentication = chipAuthentication
        self.activeAuthentication = activeAuthentication
    }

    public static func == (a: ChipProfile, b: ChipProfile) -> Bool {
        a.name == b.name && a.pace == b.pace && a.bac == b.bac && a.can == b.can && a.canOnly == b.canOnly
            && a.chipAuthentication?.curve == b.chipAuthentication?.curve
            && a.chipAuthentication?.cipher == b.chipAuthentication?.cipher
            && a.activeAuthentication == b.activeAuthentication
    }

    static func info(_ agreement: PACEProtocol.Agreement, _ cipher: BlockCipher, _ domain: PACEDomain) -> PACEInfo {
        PACEInfo(
            oid: PACEProtocol(agreement: agreement, mapping: .generic, cipher: cipher).oid, version: 2,
            parameterID: domain.rawValue)
    }

    /// A 2025 Dutch passport: PACE-ECDH-GM-AES-256 on brainpoolP320r1, no BAC; chip authentication on brainpoolP512r1,
    /// and active authentication with ECDSA.
    public static let nlPassport2025 = ChipProfile(
        name: "nl-passport-2025", pace: [info(.ecdh, .aes256, .brainpoolP320r1)], bac: false,
        chipAuthentication: ("brainpoolP512r1", .aes256), activeAuthentication: "ec-brainpoolP320r1")
    /// A 2021 Dutch ID card: PACE-ECDH-GM-AES-128 on NIST P-256, no BAC; chip authentication on P-256.
    public static let nlID2021 = ChipProfile(
        name: "nl-id-2021", pace: [info(.ecdh, .aes128, .secp256r1)], bac: false,
        chipAuthentication: ("prime256v1", .aes128))
    /// A document of 2014–2022: PACE (with an older DH variant listed too) and BAC; active authentication with RSA.
    public static let paceAndBAC = ChipProfile(
        name: "pace-and-bac", pace: [info(.dh, .tripleDES, .modp2048s224), info(.ecdh, .aes128, .brainpoolP256r1)],
        bac: true, activeAuthentication: "rsa-2048")
    /// An older document: BAC only, no EF.CardAccess; active authentication with RSA.
    public static let bacOnly = ChipProfile(name: "bac-only", pace: [], bac: true, activeAuthentication: "rsa-1024")

    public static let all = [nlPassport2025, nlID2021, paceAndBAC, bacOnly]

    public static func named(_ name: String) -> ChipProfile? { all.first { $0.name == name } }
}
