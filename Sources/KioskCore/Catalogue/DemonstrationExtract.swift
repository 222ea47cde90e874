/// What the in-process central's demonstration extract shows: the product's title, the case, and the chip's data (no
/// register is asked).
public struct DemonstrationExtract: Sendable {
    public let title: LocalizedText
    public let caseID: String
    public let reference: String
    public let bsn: String
    public let identity: Identity
    public let language: Language

    public init(
        title: LocalizedText, caseID: String, reference: String, bsn: String, identity: Identity, language: Language
    ) {
        self.title = title
        self.caseID = caseID
        self.reference = reference
        self.bsn = bsn
        self.identity = identity
        self.language = language
    }
}
