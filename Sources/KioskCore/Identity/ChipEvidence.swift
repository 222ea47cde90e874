/// What the card reader proved about the document beyond opening its chip: passive authentication (the data is the
/// issuer's) and chip or active authentication (the chip is no copy). No personal data: a country code and data-group
/// numbers only.
public struct ChipEvidence: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Passive: Sendable, Equatable, Codable {
        /// The SOD verified, under a CSCA of this issuing country, and every data group read matches it.
        case valid(country: String)
        /// A data group does not match the SOD (or the SOD does not list it).
        case dataAltered(dataGroup: Int)
        /// The Document Signer chains to no CSCA the kiosk trusts.
        case unknownIssuer
        /// The SOD's signature does not verify, its signer expired, or it is missing or malformed.
        case invalid
        /// The reader did not check (no trust configured, or a driver that cannot).
        case notChecked
    }

    public enum AntiClone: Sendable, Equatable, Codable {
        /// The chip proved it holds the key of DG14 (chip authentication) or DG15 (active authentication).
        case proved
        /// It could not: a copy of the data on another chip, or a document issued with a broken chip.
        case failed
        /// The document has neither (older documents).
        case notSupported
        case notChecked
    }

    public var passive: Passive
    public var antiClone: AntiClone

    public init(passive: Passive, antiClone: AntiClone = .notChecked) {
        self.passive = passive
        self.antiClone = antiClone
    }

    public static let unchecked = ChipEvidence(passive: .notChecked)

    public var description: String {
        let first =
            switch passive {
            case .valid(let country): "passive authentication valid (\(country))"
            case .dataAltered(let number): "DG\(number) altered"
            case .unknownIssuer: "unknown issuer"
            case .invalid: "SOD invalid"
            case .notChecked: "passive authentication not checked"
            }
        let second =
            switch antiClone {
            case .proved: "chip proved"
            case .failed: "chip authentication failed"
            case .notSupported: "no chip or active authentication"
            case .notChecked: "anti-clone not checked"
            }
        return first + ", " + second
    }
}
