import CommonGround
import Foundation

/// Each step makes its object, or finds the one an interrupted earlier run made: by identificatie for the zaak and the
/// document (the servers refuse a second with `identificatie-niet-uniek`), by (zaak, document) for the link, and by
/// looking at the zaak's rollen and statussen before a rol or status is made (those have no unique key at all).
extension BackOfficeGateway {
    func zaak(_ entry: BackOfficeJournal.Entry, _ type: CaseType, lookFirst: Bool) async throws(BackOfficeError) -> String {
        let organisation = config.organisation
        if lookFirst, let found = try await zgw.zaak(identificatie: entry.identificatie, bronorganisatie: organisation),
            let url = found.url
        {
            return url
        }
        let zaak = ZGWClient.Zaak(
            identificatie: entry.identificatie, bronorganisatie: organisation, zaaktype: type.url,
            startdatum: Self.today(), omschrijving: "Uittreksel BRP (\(entry.product)) aan de zuil",
            channel: config.channel,
            kenmerken: [.init(kenmerk: entry.kioskID, bron: "kiosk"), .init(kenmerk: entry.reference, bron: "kioskreferentie")])
        do throws(BackOfficeError) {
            guard let url = try await zgw.createZaak(zaak).url else {
                throw BackOfficeError(.badAnswer, call: "zaken POST /zaken", "the new zaak has no url")
            }
            return url
        } catch  where error.has(code: "identificatie-niet-uniek") {
            guard let found = try await zgw.zaak(identificatie: entry.identificatie, bronorganisatie: organisation),
                let url = found.url
            else { throw BackOfficeError(.badAnswer, call: "zaken GET /zaken", "identificatie-niet-uniek, yet no zaak found") }
            return url
        }
    }

    func document(_ entry: BackOfficeJournal.Entry, pdf: Data, type: String, language: String, lookFirst: Bool)
        async throws(BackOfficeError) -> String
    {
        let identificatie = entry.identificatie + "-U"
        let organisation = config.organisation
        if lookFirst, let url = try await zgw.document(identificatie: identificatie, bronorganisatie: organisation)?.url {
            return url
        }
        do throws(BackOfficeError) {
            let made = try await zgw.createDocument(
                identificatie: identificatie, bronorganisatie: organisation, type: type,
                title: "Uittreksel BRP \(entry.identificatie)", language: language == "en" ? "eng" : "nld", pdf: pdf,
                created: Self.today())
            guard let url = made.url else {
                throw BackOfficeError(.badAnswer, call: "documenten POST", "the new document has no url")
            }
            return url
        } catch  where error.has(code: "identificatie-niet-uniek") {
            guard let url = try await zgw.document(identificatie: identificatie, bronorganisatie: organisation)?.url else {
                throw BackOfficeError(.badAnswer, call: "documenten GET", "identificatie-niet-uniek, yet no document found")
            }
            return url
        }
    }

    func link(zaak: String, document: String) async throws(BackOfficeError) -> String {
        if let url = try await zgw.zaakInformatieObjecten(zaak: zaak, document: document).first?.url { return url }
        do throws(BackOfficeError) {
            guard let url = try await zgw.createZaakInformatieObject(zaak: zaak, document: document, title: "Uittreksel BRP").url
            else { throw BackOfficeError(.badAnswer, call: "zaken POST /zaakinformatieobjecten", "no url") }
            return url
        } catch  where error.has(code: "unique") {
            guard let url = try await zgw.zaakInformatieObjecten(zaak: zaak, document: document).first?.url else {
                throw BackOfficeError(.badAnswer, call: "zaken GET /zaakinformatieobjecten", "unique, yet none found")
            }
            return url
        }
    }

    func rol(zaak: String, type: CaseType, _ sealed: BackOfficeJournal.Sealed) async throws(BackOfficeError) -> String {
        let existing = try await zgw.rollen(zaak: zaak).filter { $0.roltype == type.initiatorRoleType }
        if let url = existing.first(where: { $0.betrokkeneIdentificatie?.inpBsn == sealed.bsn })?.url { return url }
        let person = ZGWClient.Rol.Person(
            inpBsn: sealed.bsn, geslachtsnaam: String(sealed.surname.prefix(200)),
            voorvoegselGeslachtsnaam: sealed.prefix.isEmpty ? nil : String(sealed.prefix.prefix(80)),
            voornamen: String(sealed.givenNames.prefix(200)), geboortedatum: sealed.birthDate)
        guard let url = try await zgw.createRol(.init(zaak: zaak, roltype: type.initiatorRoleType, person: person)).url else {
            throw BackOfficeError(.badAnswer, call: "zaken POST /rollen", "the new rol has no url")
        }
        return url
    }

    /// Sets a status unless the zaak already has it or a later one (`order` lists the status types in volgnummer order).
    func status(zaak: String, type: String, order: [String], note: String) async throws(BackOfficeError) -> String {
        if let current = try await zgw.currentStatus(zaak: zaak), let url = current.url,
            let now = order.firstIndex(of: current.statustype), let wanted = order.firstIndex(of: type), now >= wanted
        {
            return url
        }
        guard let url = try await zgw.createStatus(zaak: zaak, statustype: type, at: Date(), note: note).url else {
            throw BackOfficeError(.badAnswer, call: "zaken POST /statussen", "the new status has no url")
        }
        return url
    }

    func contact(_ entry: BackOfficeJournal.Entry, zaak: String?, _ sealed: BackOfficeJournal.Sealed)
        async throws(BackOfficeError) -> String
    {
        // A klantcontact has no key of ours at all, so it is always looked for first (one GET), not only after a try.
        let marker = "[\(entry.identificatie)]"
        if let url = try await klant.contact(containing: marker) { return url }
        let partij = sealed.bsn.isEmpty ? nil : try await klant.partij(bsn: sealed.bsn)
        let subject = sealed.subject ?? "Uittreksel BRP aangevraagd"
        let content =
            sealed.content ?? "Uittreksel BRP (\(entry.product)) aangevraagd aan zuil \(entry.kioskID)."
        return try await klant.record(
            .init(
                channel: config.channel, subject: subject, content: "\(content) \(marker)",
                language: sealed.language == "en" ? "eng" : "nld", at: Date(), partij: partij,
                zaak: zaak.map { ($0, entry.identificatie) }))
    }
}
