/// What an identify step accepts, and what the resident is told when the document is refused.
public struct IdentifyStep: Sendable, Equatable {
    public let next: String
    /// Months after its expiry that a document still counts: 0 means it must be valid today (an extract); a pickup takes
    /// the old document, which is usually why a new one was made.
    public let acceptExpiredMonths: Int
    /// Whether the document's data must be proved the issuer's (passive authentication). On by default; off only for a
    /// flow where the chip merely confirms what the resident typed.
    public let requirePassiveAuthentication: Bool
    /// Whether the chip must prove it is no copy (chip or active authentication). On by default.
    public let requireAntiClone: Bool
    /// The resident's text for each refusal the flow words itself; the others use the kiosk's standard texts.
    public let refusals: [Refusal: LocalizedText]

    public init(
        next: String, acceptExpiredMonths: Int = 0, requirePassiveAuthentication: Bool = true, requireAntiClone: Bool = true,
        refusals: [Refusal: LocalizedText] = [:]
    ) {
        self.next = next
        self.acceptExpiredMonths = acceptExpiredMonths
        self.requirePassiveAuthentication = requirePassiveAuthentication
        self.requireAntiClone = requireAntiClone
        self.refusals = refusals
    }
}
