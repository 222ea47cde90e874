/// Why the kiosk stops a resident's attempt and sends them to the counter; nothing is sent or stored. An identify step may
/// word the document refusals itself (`refusals:`); the others use the kiosk's standard texts.
public enum Refusal: String, Sendable, Equatable, Hashable, CaseIterable, Codable {
    /// The refusals an identify step words in its `refusals:`.
    public static let document: [Refusal] = [.expired, .bsnMismatch, .dataAltered, .unknownIssuer, .unverified, .cloneSuspected]

    /// The document expired (longer ago than the step allows).
    case expired
    /// The BSN the resident typed is not the one on the chip.
    case bsnMismatch
    /// The chip's data does not match the issuer's signature: altered, or signed by nobody the kiosk trusts.
    case dataAltered
    /// The document's signer is not one the kiosk knows (a country or series missing from the master list).
    case unknownIssuer
    /// The kiosk could not check that the document is genuine.
    case unverified
    /// The chip could not prove it is the issuer's: a copy, or one of the documents issued with a broken chip.
    case cloneSuspected
    /// Three pickup codes that the central does not know, in one session.
    case tooManyCodes
    /// The central locked the pickup code after too many failed holder checks; staff unlock it.
    case pickupLocked
}
