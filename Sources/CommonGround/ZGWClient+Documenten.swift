package import Foundation

extension ZGWClient {
    package struct Document: Codable, Sendable {
        package var url: String?
        package var identificatie: String?
        package var bronorganisatie: String
        package var creatiedatum: String
        package var titel: String
        package var auteur: String
        package var taal: String
        package var formaat: String?
        package var bestandsnaam: String?
        package var inhoud: String?
        package var vertrouwelijkheidaanduiding: String?
        package var informatieobjecttype: String
        package var bestandsomvang: Int?
    }

    /// Stores a PDF as an enkelvoudiginformatieobject (base64 in `inhoud`).
    package func createDocument(
        identificatie: String, bronorganisatie: String, type: String, title: String, language: String, pdf: Data,
        created: String
    ) async throws(BackOfficeError) -> Document {
        let document = Document(
            identificatie: identificatie, bronorganisatie: bronorganisatie, creatiedatum: created, titel: title,
            auteur: "Zelfbedieningszuil", taal: language, formaat: "application/pdf",
            bestandsnaam: "\(identificatie).pdf", inhoud: pdf.base64EncodedString(),
            vertrouwelijkheidaanduiding: "zaakvertrouwelijk", informatieobjecttype: type)
        return try await post(
            documentenURL + "/enkelvoudiginformatieobjecten", document, as: Document.self,
            call: "documenten POST /enkelvoudiginformatieobjecten")
    }

    package func document(identificatie: String, bronorganisatie: String) async throws(BackOfficeError) -> Document? {
        try await all(
            documentenURL + "/enkelvoudiginformatieobjecten"
                + Self.query([("identificatie", identificatie), ("bronorganisatie", bronorganisatie)]),
            as: Document.self, call: "documenten GET /enkelvoudiginformatieobjecten"
        ).first { $0.identificatie == identificatie }
    }
}
