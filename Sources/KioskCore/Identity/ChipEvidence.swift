/// What the card reader proved about the document beyond opening its chip: passive authentication (the data is the
/// issuer's) and, later, chip or active authentication (the chip is no copy). No personal data: a country code and
/// data-group numbers only.
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

    public var passive: Passive

    public init(passive: Passive) {
        self.passive = passive
    }

    public static let unchecked = ChipEvidence(passive: .notChecked)

    public var description: String {
        switch passive {
        case .valid(let country): "passive authentication valid (\(country))"
        case .dataAltered(let number): "DG\(number) altered"
        case .unknownIssuer: "unknown issuer"
        case .invalid: "SOD invalid"
        case .notChecked: "passive authentication not checked"
        }
    }
}
