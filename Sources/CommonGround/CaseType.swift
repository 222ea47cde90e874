/// A zaaktype from the Catalogi API with what the gateway needs of it: its status types by description, the initiator's
/// role type and, for an extract, the document type. Resolved once per identificatie and cached.
package struct CaseType: Sendable, Equatable {
    package var url: String
    package var identificatie: String
    /// omschrijving → URL, in volgnummer order.
    package var statusTypes: [(description: String, url: String)]
    package var initiatorRoleType: String
    package var documentType: String?

    package func statusType(_ description: String) -> String? {
        statusTypes.first { $0.description == description }?.url
    }

    package static func == (a: CaseType, b: CaseType) -> Bool {
        a.url == b.url && a.statusTypes.map(\.url) == b.statusTypes.map(\.url) && a.initiatorRoleType == b.initiatorRoleType
            && a.documentType == b.documentType
    }
}
