/// Why reading a chip failed, in one line a technician can act on. Never carries personal data or key material.
public enum MRTDError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The chip refused the access key: the MRZ data does not belong to this document.
    case accessDenied
    /// The card answered a command with an unexpected status word.
    case status(UInt16, during: String)
    /// A response shorter than its format requires.
    case truncated(String)
    /// A TLV structure that does not add up (a length past the end, a tag that is not there).
    case malformedTLV(String)
    /// A secure-messaging response whose MAC does not verify, or that lacks a protected part it must have.
    case secureMessaging(String)
    /// DG1 does not hold a valid MRZ.
    case malformedDG1(String)
    /// The card or the reader went away in the middle.
    case cardRemoved
    /// The transport failed (the reader, pcscd, the emulator).
    case transport(String)
    /// The card or reader stopped answering; the text says after how long.
    case timedOut(String)
    /// The cryptographic library failed; should not happen.
    case crypto(String)
    /// A public key from the chip that is malformed, off the curve, infinity, or outside the subgroup.
    case badPublicKey(String)
    /// The chip offers only protocols or parameters the kiosk does not support; the text names them (OIDs, not data).
    case unsupportedProtocol(String)
    /// The chip answered PACE or chip authentication with a token or proof that does not verify: not the genuine chip.
    case authenticationFailed(String)
    /// The chip wants the card access number (CAN) printed on the document before it accepts the MRZ again.
    case canRequired
    /// EF.CardAccess, DG14, DG15 or EF.SOD does not parse; the text says which part.
    case malformedStructure(String)
    /// A CMS signature (EF.SOD, a master list) that does not verify with its own signer certificate.
    case badSignature(String)
    /// A signer that does not chain to what the kiosk trusts.
    case untrusted(String)

    public var description: String {
        switch self {
        case .accessDenied: "the chip refused the access key: the MRZ data does not match this document"
        case .status(let sw, let during): "the card answered \(hex(sw)) to \(during)"
        case .truncated(let what): "truncated response: \(what)"
        case .malformedTLV(let what): "malformed TLV: \(what)"
        case .secureMessaging(let what): "secure messaging failed: \(what)"
        case .malformedDG1(let what): "DG1 is not a valid MRZ: \(what)"
        case .cardRemoved: "the card was removed during the read"
        case .transport(let what): "card transport failed: \(what)"
        case .timedOut(let after): "the card did not answer within \(after)"
        case .crypto(let what): "crypto failed: \(what)"
        case .badPublicKey(let what): "the chip sent a bad public key: \(what)"
        case .unsupportedProtocol(let what): "the chip offers no protocol the kiosk supports: \(what)"
        case .authenticationFailed(let what): "the chip failed authentication: \(what)"
        case .canRequired: "the chip asks for the card access number (CAN)"
        case .malformedStructure(let what): "malformed document data: \(what)"
        case .badSignature(let what): "the signature does not verify: \(what)"
        case .untrusted(let what): "not trusted: \(what)"
        }
    }

    private func hex(_ sw: UInt16) -> String {
        let digits = String(sw, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
