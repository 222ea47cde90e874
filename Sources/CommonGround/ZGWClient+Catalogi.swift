import Foundation

extension ZGWClient {
    struct ZaakType: Decodable, Sendable {
        var url: String
        var identificatie: String?
        var concept: Bool?
        var beginGeldigheid: String?
        var eindeGeldigheid: String?
    }
    struct StatusType: Decodable, Sendable {
        var url: String
        var zaaktype: String
        var omschrijving: String
        var volgnummer: Int
    }
    struct RolType: Decodable, Sendable {
        var url: String
        var zaaktype: String
        var omschrijvingGeneriek: String?
    }
    struct InformatieObjectType: Decodable, Sendable {
        var url: String
        var omschrijving: String
    }

    /// The published zaaktype with this identificatie that is valid today, with its status types (each of `statuses`
    /// must be among them), the initiator role type and, when `documentType` is given, that document type.
    ///
    /// - throws: ``BackOfficeError`` of kind `catalogue` when something configured is missing or not published.
    package func caseType(identificatie: String, statuses: [String], documentType: String?, today: String)
        async throws(BackOfficeError) -> CaseType
    {
        let call = "catalogi GET /zaaktypen"
        let types = try await all(
            catalogiURL + "/zaaktypen" + Self.query([("identificatie", identificatie), ("status", "definitief")]),
            as: ZaakType.self, call: call)
        let current = types.filter { type in
            type.identificatie == identificatie && type.concept != true && (type.beginGeldigheid ?? today) <= today
                && (type.eindeGeldigheid.map { $0 >= today } ?? true)
        }
        guard let zaaktype = current.max(by: { ($0.beginGeldigheid ?? "") < ($1.beginGeldigheid ?? "") }) else {
            throw BackOfficeError(.catalogue, call: call, "no published zaaktype \(identificatie) valid on \(today)")
        }
        // The document types the `zaaktype` filter as an integer (the servers take a URL); the identificatie filter is a
        // string in both, and the zaaktype's own version is picked out here.
        let statusTypes = try await all(
            catalogiURL + "/statustypen" + Self.query([("zaaktypeIdentificatie", identificatie)]), as: StatusType.self,
            call: "catalogi GET /statustypen"
        ).filter { $0.zaaktype == zaaktype.url }.sorted { $0.volgnummer < $1.volgnummer }
        for wanted in statuses where !statusTypes.contains(where: { $0.omschrijving == wanted }) {
            throw BackOfficeError(
                .catalogue, call: "catalogi GET /statustypen", "zaaktype \(identificatie) has no statustype '\(wanted)'")
        }
        let roles = try await all(
            catalogiURL + "/roltypen"
                + Self.query([("zaaktypeIdentificatie", identificatie), ("omschrijvingGeneriek", "initiator")]),
            as: RolType.self, call: "catalogi GET /roltypen")
        guard let initiator = roles.first(where: { $0.omschrijvingGeneriek == "initiator" && $0.zaaktype == zaaktype.url })
        else {
            throw BackOfficeError(
                .catalogue, call: "catalogi GET /roltypen", "zaaktype \(identificatie) has no initiator roltype")
        }
        var documentURL: String?
        if let documentType {
            let documents = try await all(
                catalogiURL + "/informatieobjecttypen"
                    + Self.query([("zaaktype", zaaktype.url), ("omschrijving", documentType), ("status", "definitief")]),
                as: InformatieObjectType.self, call: "catalogi GET /informatieobjecttypen")
            guard let found = documents.first(where: { $0.omschrijving == documentType }) else {
                throw BackOfficeError(
                    .catalogue, call: "catalogi GET /informatieobjecttypen",
                    "zaaktype \(identificatie) has no informatieobjecttype '\(documentType)'")
            }
            documentURL = found.url
        }
        return CaseType(
            url: zaaktype.url, identificatie: identificatie,
            statusTypes: statusTypes.map { ($0.omschrijving, $0.url) }, initiatorRoleType: initiator.url,
            documentType: documentURL)
    }
}
