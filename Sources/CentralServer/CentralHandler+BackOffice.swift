import CentralAPI
import CommonGround
import Foundation
import GRDB
import KioskCore
import KioskDrawing

/// The extract request when the back office is the municipality's: the register says who the BSN is, the extract is drawn
/// from its answer, and the case goes into the back-office journal in the same transaction as the kiosk's answer.
extension CentralHandler {
    func submitToBackOffice(
        _ request: Components.Schemas.ExtractRequest, key: String, data: Data, gateway: BackOfficeGateway
    ) async throws -> Operations.SubmitExtractRequest.Output {
        if let stored = try await store.storedAnswer(key: key, operation: "extract", request: data) {
            return .created(.init(body: .json(try Self.decoder.decode(Components.Schemas.ExtractCase.self, from: stored.body))))
        }
        let person: RegisterPerson
        do {
            guard let found = try await gateway.person(bsn: request.bsn) else {
                await recordReferral(request, key: key, reason: "BSN onbekend", partijBSN: nil, gateway: gateway)
                return .unprocessableContent(Self.notTheHolder)
            }
            person = found
        } catch {
            await gateway.log("the BRP: \(error.description)")
            return .serviceUnavailable(Self.registerUnavailable)
        }
        // The holder check first: a stranger who types somebody's BSN learns nothing of that person, not even that the
        // register withholds their data; and an unknown BSN gets the same answer, so typing BSNs finds no one either.
        guard RegisterMatch.matches(person, Self.identity(request.identity)) else {
            await recordReferral(
                request, key: key, reason: "naam en geboortedatum passen niet bij het BSN", partijBSN: nil, gateway: gateway)
            return .unprocessableContent(Self.notTheHolder)
        }
        if person.secret {
            await recordReferral(
                request, key: key, reason: "geheimhouding persoonsgegevens", partijBSN: request.bsn, gateway: gateway)
            return .unprocessableContent(
                Self.problem(
                    422, "Go to the counter", "the register withholds this person's data; the counter can help"))
        }
        let identificatie = await gateway.identificatie(reference: request.reference)
        let pdf = try produce(request, person: person, caseID: identificatie)
        let sealed = BackOfficeJournal.Sealed(
            bsn: request.bsn, surname: person.surname, prefix: person.prefix, givenNames: person.givenNames,
            birthDate: person.birthDate, pdf: pdf, language: request.language.rawValue)
        let journal = gateway.journal
        do {
            let answer = try await store.idempotent(key: key, operation: "extract", request: data) { db in
                do {
                    try journal.insert(
                        db, reference: request.reference, kioskID: request.kioskId, product: request.product.rawValue,
                        identificatie: identificatie, sealed: sealed)
                } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                    throw ReferenceTaken()
                }
                var body = Components.Schemas.ExtractCase(caseId: identificatie, reference: request.reference, status: .queued)
                if let pdf {
                    let documentID = UUID().uuidString.lowercased()
                    try db.execute(
                        sql: "INSERT INTO document (documentId, caseId, pdf, createdAt) VALUES (?, ?, ?, ?)",
                        arguments: [documentID, identificatie, pdf, Date()])
                    body.status = .produced
                    body.documentId = documentID
                }
                return CentralStore.Answer(status: 201, body: try Self.encoder.encode(body))
            }
            Task { await gateway.run(request.reference) }
            return .created(.init(body: .json(try Self.decoder.decode(Components.Schemas.ExtractCase.self, from: answer.body))))
        } catch CentralStore.Refusal.keyReused {
            return .conflict(Self.keyReused)
        } catch is ReferenceTaken {
            return .conflict(Self.problem(409, "Reference already used", "another request already carries this kiosk reference"))
        }
    }

    /// The one answer to a BSN the register does not know and to one that is somebody else's.
    static let notTheHolder = problem(
        422, "Not the document's holder", "the register has no person with this BSN, name and birth date")

    static let registerUnavailable = Components.Responses.Unavailable(
        headers: .init(retryAfter: "30"),
        body: .applicationProblemJson(
            .init(_type: "about:blank", title: "The register cannot be reached", status: 503, detail: "try again later")))

    /// The standard extract from the register's answer; the history and international extracts need data or checks the
    /// query API does not give, so they are queued for the back office (nil).
    func produce(_ request: Components.Schemas.ExtractRequest, person: RegisterPerson, caseID: String) throws -> Data? {
        guard request.product == .standard, let title = catalogue.product(request.product.rawValue)?.title else { return nil }
        let birth =
            person.birthDate.map { date in
                let parts = date.split(separator: "-")
                return parts.count == 3 ? "\(parts[2])-\(parts[1])-\(parts[0])" : date
            } ?? "onbekend"
        let printed = ExtractPerson(
            surname: person.fullSurname, givenNames: person.givenNames, birthDate: birth, birthPlace: person.birthPlace,
            sex: nil, nationality: person.nationalities.joined(separator: ", "), address: person.address)
        return try ExtractDocument(
            language: request.language == .en ? .en : .nl, product: title, caseID: caseID, reference: request.reference,
            issued: Date(), bsn: request.bsn, person: printed
        ).pdf()
    }
}
