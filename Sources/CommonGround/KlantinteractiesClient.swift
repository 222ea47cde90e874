package import Foundation
import NIOHTTP1

/// Klantinteracties 0.1 as Open Klant 2.7 serves it: the partij behind a BSN, and `maak-klantcontact`, which records a
/// contact with its betrokkene and onderwerpobject in one call. Authenticated with `Authorization: Token …`.
package struct KlantinteractiesClient: Sendable {
    let http: BackOfficeHTTP
    let baseURL: String
    let token: String

    package init(http: BackOfficeHTTP, baseURL: String, token: String) {
        self.http = http
        self.baseURL = baseURL.trimmingTrailingSlash
        self.token = token
    }

    struct Partij: Decodable, Sendable {
        var uuid: String
        var url: String
    }

    /// The uuid of the partij identified by this BSN, if Klantinteracties knows one.
    package func partij(bsn: String) async throws(BackOfficeError) -> String? {
        let call = "klantinteracties GET /partijen"
        let url =
            baseURL + "/partijen"
            + ZGWClient.query([
                ("partijIdentificator__codeSoortObjectId", "bsn"), ("partijIdentificator__objectId", bsn),
            ])
        let answer = try await http.send(.GET, url, headers: [("Authorization", "Token \(token)")], call: call)
        return try http.decode(ZGWClient.Page<Partij>.self, answer, expected: [200], call: call).results.first?.uuid
    }

    /// One contact on the kiosk's channel.
    package struct Contact: Sendable {
        package var channel: String
        package var subject: String
        package var content: String
        package var language: String
        package var at: Date
        package var partij: String?
        package var zaak: (url: String, identificatie: String)?

        package init(
            channel: String, subject: String, content: String, language: String, at: Date, partij: String?,
            zaak: (url: String, identificatie: String)?
        ) {
            self.channel = channel
            self.subject = subject
            self.content = content
            self.language = language
            self.at = at
            self.partij = partij
            self.zaak = zaak
        }
    }

    /// Records the contact; returns the klantcontact's URL.
    package func record(_ contact: Contact) async throws(BackOfficeError) -> String {
        let call = "klantinteracties POST /maak-klantcontact"
        var body: [String: Any] = [
            "klantcontact": [
                "kanaal": String(contact.channel.prefix(50)), "onderwerp": String(contact.subject.prefix(200)),
                "inhoud": String(contact.content.prefix(1000)), "taal": contact.language, "vertrouwelijk": false,
                "indicatieContactGelukt": true, "plaatsgevondenOp": ZGWClient.timestamp(contact.at),
            ] as [String: Any]
        ]
        if let partij = contact.partij {
            body["betrokkene"] = ["wasPartij": ["uuid": partij], "rol": "klant", "initiator": true] as [String: Any]
        }
        if let zaak = contact.zaak {
            body["onderwerpobject"] = [
                "wasKlantcontact": NSNull(),
                "onderwerpobjectidentificator": [
                    "objectId": zaak.url, "codeObjecttype": "zaak", "codeRegister": "openzaak",
                    "codeSoortObjectId": "url",
                ],
            ]
        }
        let data: Data
        do { data = try JSONSerialization.data(withJSONObject: body) } catch {
            throw BackOfficeError(.badAnswer, call: call, "\(error)")
        }
        let answer = try await http.send(
            .POST, baseURL + "/maak-klantcontact",
            headers: [("Authorization", "Token \(token)"), ("Content-Type", "application/json")], body: data, call: call)
        return try http.decode(Made.self, answer, expected: [201], call: call).klantcontact.url
    }

    struct Made: Decodable {
        var klantcontact: Partij
    }
}

extension KlantinteractiesClient {
    /// The klantcontact whose inhoud carries this marker (the gateway writes its own identificatie there): how a retry finds
    /// the contact an interrupted run recorded, since klantcontacten have no key of the caller's.
    package func contact(containing marker: String) async throws(BackOfficeError) -> String? {
        let call = "klantinteracties GET /klantcontacten"
        let url = baseURL + "/klantcontacten" + ZGWClient.query([("inhoud", marker)])
        let answer = try await http.send(.GET, url, headers: [("Authorization", "Token \(token)")], call: call)
        return try http.decode(ZGWClient.Page<Partij>.self, answer, expected: [200], call: call).results.first?.url
    }
}
