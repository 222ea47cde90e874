package import Foundation

extension ZGWClient {
    package struct Zaak: Codable, Sendable {
        package var url: String?
        package var identificatie: String?
        package var bronorganisatie: String
        package var zaaktype: String
        package var verantwoordelijkeOrganisatie: String
        package var startdatum: String
        package var omschrijving: String?
        package var communicatiekanaalNaam: String?
        package var kenmerken: [Kenmerk]?
        package var status: String?
        package var rollen: [String]?
        package var zaakinformatieobjecten: [String]?

        package struct Kenmerk: Codable, Sendable, Equatable {
            package var kenmerk: String
            package var bron: String
            package init(kenmerk: String, bron: String) {
                self.kenmerk = kenmerk
                self.bron = bron
            }
        }

        package init(
            identificatie: String, bronorganisatie: String, zaaktype: String, startdatum: String, omschrijving: String,
            channel: String, kenmerken: [Kenmerk]
        ) {
            self.identificatie = identificatie
            self.bronorganisatie = bronorganisatie
            self.zaaktype = zaaktype
            verantwoordelijkeOrganisatie = bronorganisatie
            self.startdatum = startdatum
            self.omschrijving = omschrijving
            communicatiekanaalNaam = channel
            self.kenmerken = kenmerken
        }
    }

    package struct Rol: Codable, Sendable {
        package var url: String?
        package var zaak: String
        package var betrokkeneType: String
        package var roltype: String
        package var roltoelichting: String?
        package var betrokkeneIdentificatie: Person?

        package struct Person: Codable, Sendable {
            package var inpBsn: String?
            package var geslachtsnaam: String?
            package var voorvoegselGeslachtsnaam: String?
            package var voornamen: String?
            package var geboortedatum: String?
            package init(
                inpBsn: String, geslachtsnaam: String?, voorvoegselGeslachtsnaam: String?, voornamen: String?,
                geboortedatum: String?
            ) {
                self.inpBsn = inpBsn
                self.geslachtsnaam = geslachtsnaam
                self.voorvoegselGeslachtsnaam = voorvoegselGeslachtsnaam
                self.voornamen = voornamen
                self.geboortedatum = geboortedatum
            }
        }

        package init(zaak: String, roltype: String, person: Person) {
            self.zaak = zaak
            betrokkeneType = "natuurlijk_persoon"
            self.roltype = roltype
            roltoelichting = "Aanvrager aan de zelfbedieningszuil"
            betrokkeneIdentificatie = person
        }
    }

    package struct Status: Codable, Sendable {
        package var url: String?
        package var zaak: String
        package var statustype: String
        package var datumStatusGezet: String
        package var statustoelichting: String?
    }

    package struct ZaakInformatieObject: Codable, Sendable {
        package var url: String?
        package var informatieobject: String
        package var zaak: String
        package var titel: String?
    }

    static let crs = [("Content-Crs", "EPSG:4326"), ("Accept-Crs", "EPSG:4326")]

    package func createZaak(_ zaak: Zaak) async throws(BackOfficeError) -> Zaak {
        try await post(zakenURL + "/zaken", zaak, as: Zaak.self, call: "zaken POST /zaken", headers: Self.crs)
    }

    /// The zaak with this identificatie of this organisation, if there is one.
    package func zaak(identificatie: String, bronorganisatie: String) async throws(BackOfficeError) -> Zaak? {
        try await all(
            zakenURL + "/zaken" + Self.query([("identificatie", identificatie), ("bronorganisatie", bronorganisatie)]),
            as: Zaak.self, call: "zaken GET /zaken", headers: [("Accept-Crs", "EPSG:4326")]
        ).first { $0.identificatie == identificatie }
    }

    /// Zaken of a zaaktype with this kenmerk from this source (a pickup code); the filter is `<bron>:<kenmerk>`.
    package func zaken(zaaktype: String, kenmerk: String, source: String) async throws(BackOfficeError) -> [Zaak] {
        try await all(
            zakenURL + "/zaken" + Self.query([("zaaktype", zaaktype), ("kenmerk", "\(source):\(kenmerk)")]), as: Zaak.self,
            call: "zaken GET /zaken", headers: [("Accept-Crs", "EPSG:4326")], pages: 2
        ).filter { $0.kenmerken?.contains { $0.kenmerk == kenmerk && $0.bron == source } ?? false }
    }

    /// A zaak by its URL, with the URLs of its rollen, current status and document links.
    package func zaak(url: String) async throws(BackOfficeError) -> Zaak {
        try await get(url, as: Zaak.self, call: "zaken GET /zaken/{uuid}", headers: [("Accept-Crs", "EPSG:4326")])
    }

    package func createRol(_ rol: Rol) async throws(BackOfficeError) -> Rol {
        try await post(zakenURL + "/rollen", rol, as: Rol.self, call: "zaken POST /rollen")
    }

    /// The rollen of a zaak, read one by one from the zaak's list (the document types the list's `zaak` filter as an
    /// integer, where the servers take a URL).
    package func rollen(zaak: String) async throws(BackOfficeError) -> [Rol] {
        var found: [Rol] = []
        for url in try await self.zaak(url: zaak).rollen ?? [] {
            found.append(try await get(url, as: Rol.self, call: "zaken GET /rollen/{uuid}"))
        }
        return found
    }

    package func createStatus(zaak: String, statustype: String, at: Date, note: String) async throws(BackOfficeError)
        -> Status
    {
        let status = Status(
            zaak: zaak, statustype: statustype, datumStatusGezet: Self.timestamp(at), statustoelichting: note)
        return try await post(zakenURL + "/statussen", status, as: Status.self, call: "zaken POST /statussen")
    }

    /// The zaak's current status, if it has one.
    package func currentStatus(zaak: String) async throws(BackOfficeError) -> Status? {
        guard let url = try await self.zaak(url: zaak).status else { return nil }
        return try await get(url, as: Status.self, call: "zaken GET /statussen/{uuid}")
    }

    package func createZaakInformatieObject(zaak: String, document: String, title: String)
        async throws(BackOfficeError) -> ZaakInformatieObject
    {
        try await post(
            zakenURL + "/zaakinformatieobjecten",
            ZaakInformatieObject(informatieobject: document, zaak: zaak, titel: title), as: ZaakInformatieObject.self,
            call: "zaken POST /zaakinformatieobjecten")
    }

    /// The links of one document to this zaak (the list is not paginated in Zaken 1.5; filtered by document, whose
    /// filter is a string in the document, and then by zaak here).
    package func zaakInformatieObjecten(zaak: String, document: String) async throws(BackOfficeError)
        -> [ZaakInformatieObject]
    {
        try await get(
            zakenURL + "/zaakinformatieobjecten" + Self.query([("informatieobject", document)]),
            as: [ZaakInformatieObject].self, call: "zaken GET /zaakinformatieobjecten"
        ).filter { $0.zaak == zaak }
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
