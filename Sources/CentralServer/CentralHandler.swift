package import CentralAPI
import Foundation
import GRDB
package import KioskCore
import KioskDrawing
import OpenAPIRuntime
import Synchronization

/// The contract's operations on ``CentralStore``: what a municipality's own systems would do, in the simplest honest form.
///
/// State-changing operations are idempotent per `Idempotency-Key`. Input is checked here beyond what the generated code checks
/// (it ignores `pattern` and `minLength`): BSN 11-proef, pickup code alphabet, MRZ-style dates, key length.
package struct CentralHandler: APIProtocol {
    let store: CentralStore
    /// The municipality's back office (`--backend commonground`); nil for the local store alone.
    let gateway: BackOfficeGateway?
    /// The products, titles and fees (the extract flow's product choice): served as the catalog, checked on payment.
    let catalogue: ProductCatalogue

    package init(store: CentralStore, catalogue: ProductCatalogue, gateway: BackOfficeGateway? = nil) {
        self.store = store
        self.catalogue = catalogue
        self.gateway = gateway
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        // Sorted keys make the encoding canonical, so that a retried request has the same digest.
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    // MARK: - Catalog and documents

    package func getCatalog(_ input: Operations.GetCatalog.Input) async throws -> Operations.GetCatalog.Output {
        let products = catalogue.products.map {
            Components.Schemas.Product(id: $0.id, title: .init(nl: $0.title.nl, en: $0.title.en), feeCents: $0.feeCents ?? 0)
        }
        return .ok(.init(body: .json(Components.Schemas.Catalog(products: products))))
    }

    /// How long a produced extract stays downloadable if nobody fetches it: it holds personal data (name, BSN).
    static let documentLifetime: TimeInterval = 3600

    /// Serves a produced extract once, then deletes it: the kiosk fetches it right after the case is made, and the PDF
    /// holds personal data that has no business staying in the store. Unfetched ones go after ``documentLifetime``.
    package func getDocument(_ input: Operations.GetDocument.Input) async throws -> Operations.GetDocument.Output {
        let id = input.path.documentId
        let (pdf, caseID) = try await store.write { db -> (Data?, String?) in
            try Self.purgeDocuments(db)
            let row = try Row.fetchOne(db, sql: "SELECT pdf, caseId FROM document WHERE documentId = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM document WHERE documentId = ?", arguments: [id])
            return (row?["pdf"], row?["caseId"])
        }
        // Fetched to be printed: the back office's case may now be closed.
        if let gateway, pdf != nil, let caseID { Task { await gateway.delivered(caseID: caseID) } }
        // The extract is deleted; its pages in the WAL go too.
        await store.scrub()
        guard let pdf else {
            return .notFound(Self.problem(404, "No such document", "the document does not exist or has expired"))
        }
        return .ok(.init(body: .pdf(HTTPBody(pdf))))
    }

    // MARK: - Extract requests

    package func submitExtractRequest(_ input: Operations.SubmitExtractRequest.Input) async throws
        -> Operations.SubmitExtractRequest.Output
    {
        guard case .json(let request) = input.body else {
            return .unprocessableContent(Self.problem(422, "Unsupported body", nil))
        }
        if let reason = Self.invalidKey(input.headers.idempotencyKey) ?? Self.overLimit(request) ?? invalid(request) {
            return .unprocessableContent(Self.problem(422, "Invalid extract request", reason))
        }
        let data = try Self.encoder.encode(request)
        if let gateway {
            return try await submitToBackOffice(request, key: input.headers.idempotencyKey, data: data, gateway: gateway)
        }
        do {
            let answer = try await store.idempotent(key: input.headers.idempotencyKey, operation: "extract", request: data) {
                db in
                let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM extractCase") ?? 0
                let caseID = "Z-\(2026_000 + count + 1)"
                do {
                    try db.execute(
                        sql: """
                            INSERT INTO extractCase
                            (caseId, reference, kioskId, product, bsnSource, createdAt, payment, paymentDay, paymentCents)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            caseID, request.reference, request.kioskId, request.product.rawValue, request.bsnSource.rawValue,
                            Date(), try request.payment.map { try Self.encoder.encode($0) }, request.payment?.day,
                            request.payment?.amountCents,
                        ])
                } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                    throw ReferenceTaken()
                }
                try Self.purgeDocuments(db)
                var body = Components.Schemas.ExtractCase(caseId: caseID, reference: request.reference, status: .queued)
                if let pdf = try self.produce(request, caseID: caseID) {
                    let documentID = UUID().uuidString.lowercased()
                    try db.execute(
                        sql: "INSERT INTO document (documentId, caseId, pdf, createdAt) VALUES (?, ?, ?, ?)",
                        arguments: [documentID, caseID, pdf, Date()])
                    try db.execute(
                        sql: "UPDATE extractCase SET documentId = ? WHERE caseId = ?", arguments: [documentID, caseID])
                    body.status = .produced
                    body.documentId = documentID
                }
                return CentralStore.Answer(status: 201, body: try Self.encoder.encode(body))
            }
            return .created(.init(body: .json(try Self.decoder.decode(Components.Schemas.ExtractCase.self, from: answer.body))))
        } catch CentralStore.Refusal.keyReused {
            return .conflict(Self.keyReused)
        } catch is ReferenceTaken {
            return .conflict(Self.problem(409, "Reference already used", "another request already carries this kiosk reference"))
        }
    }

    struct ReferenceTaken: Error {}

    static func purgeDocuments(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM document WHERE createdAt < ?", arguments: [Date().addingTimeInterval(-documentLifetime)])
    }

    /// The extract as PDF when it can be produced at once, nil when the back office must do it (an international extract
    /// needs a check by hand), in which case the case stays queued and the extract goes out by post.
    func produce(_ request: Components.Schemas.ExtractRequest, caseID: String) throws -> Data? {
        guard request.product != .international, let title = catalogue.product(request.product.rawValue)?.title else {
            return nil
        }
        let identity = Self.identity(request.identity)
        let document = ExtractDocument(
            language: request.language == .en ? .en : .nl, product: title, caseID: caseID, reference: request.reference,
            issued: Date(), bsn: request.bsn, identity: identity)
        return try document.pdf()
    }

    static func identity(_ i: Components.Schemas.Identity) -> Identity {
        Identity(
            documentCode: i.documentCode, issuer: i.issuer, documentNumber: i.documentNumber, surname: i.surname,
            givenNames: i.givenNames, nationality: i.nationality, birthDate: i.birthDate, sex: i.sex, expiryDate: i.expiryDate,
            personalNumber: i.personalNumber)
    }

    func invalid(_ r: Components.Schemas.ExtractRequest) -> String? {
        if r.reference.isEmpty || r.reference.count > 32 { return "reference must be 1 to 32 characters" }
        if catalogue.product(r.product.rawValue) == nil { return "the product is not in the catalog" }
        if (try? BSN(r.bsn)) == nil { return "bsn does not pass the 11-proef" }
        if r.bsnSource == .chip, Self.identity(r.identity).bsn?.digits != r.bsn {
            return "bsnSource is chip, but the identity's personal number is not that BSN"
        }
        if !Self.isYYMMDD(r.identity.birthDate) || !Self.isYYMMDD(r.identity.expiryDate) {
            return "identity dates must be YYMMDD"
        }
        if r.identity.surname.isEmpty { return "identity surname is empty" }
        if let payment = r.payment { return invalid(payment, for: r) }
        return nil
    }

    /// A payment must be for this request and for the product's fee, approved on a plain calendar day.
    func invalid(_ payment: Components.Schemas.Payment, for r: Components.Schemas.ExtractRequest) -> String? {
        if payment.reference != r.reference { return "the payment is for another reference" }
        let fee = catalogue.product(r.product.rawValue)?.feeCents
        if payment.amountCents != fee { return "the payment's amount is not the product's fee" }
        if payment.day.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) == nil { return "the payment's day is not YYYY-MM-DD" }
        if payment.transactionId.isEmpty || payment.brand.isEmpty { return "the payment has no transaction id or brand" }
        return nil
    }

    // MARK: - Payments

    package func getPaymentDay(_ input: Operations.GetPaymentDay.Input) async throws -> Operations.GetPaymentDay.Output {
        guard input.path.kioskId.count <= 64, !input.path.kioskId.isEmpty, Self.isDay(input.path.day) else {
            return .default(
                statusCode: 400, Self.problem(400, "Bad request", "kioskId must be 1 to 64 characters, day YYYY-MM-DD"))
        }
        let kiosk = input.path.kioskId
        let day = input.path.day
        let (count, cents) = try await store.read { db -> (Int, Int) in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) AS n, COALESCE(SUM(paymentCents), 0) AS total FROM extractCase
                    WHERE kioskId = ? AND paymentDay = ?
                    """, arguments: [kiosk, day])
            return (row?["n"] ?? 0, row?["total"] ?? 0)
        }
        return .ok(.init(body: .json(.init(day: day, count: count, amountCents: cents))))
    }

    // MARK: - Pickups

    package func lookupPickup(_ input: Operations.LookupPickup.Input) async throws -> Operations.LookupPickup.Output {
        guard let code = try? PickupCode(input.path.code) else { return .notFound(Self.unknownPickup) }
        if let gateway { return try await lookupInBackOffice(code, gateway: gateway) }
        let found = try await store.read { db -> (String, Int)? in
            try Row.fetchOne(
                db, sql: "SELECT documentKind, failedChecks FROM pickup WHERE code = ? AND collectedAt IS NULL",
                arguments: [code.value]
            ).map { ($0["documentKind"], $0["failedChecks"]) }
        }
        guard let (kind, failed) = found, let documentKind = Components.Schemas.Pickup.DocumentKindPayload(rawValue: kind) else {
            return .notFound(Self.unknownPickup)
        }
        let locked = failed >= HolderCheck.lockAfter
        return .ok(.init(body: .json(.init(documentKind: documentKind, locked: locked ? true : nil))))
    }

    package func collectPickup(_ input: Operations.CollectPickup.Input) async throws -> Operations.CollectPickup.Output {
        guard case .json(let evidence) = input.body else { return .conflict(Self.problem(409, "Unsupported body", nil)) }
        guard let code = try? PickupCode(input.path.code) else { return .notFound(Self.unknownPickup) }
        if let reason = Self.invalidKey(input.headers.idempotencyKey) {
            return .conflict(Self.problem(409, "Invalid request", reason))
        }
        if let reason = Self.overLimit([("kioskId", evidence.kioskId, 64)], nonEmpty: ["kioskId"])
            ?? Self.overLimit(evidence.identity)
        {
            return .default(statusCode: 422, Self.problem(422, "Invalid request", reason))
        }
        if let gateway {
            return try await collectInBackOffice(code, evidence: evidence, key: input.headers.idempotencyKey, gateway: gateway)
        }
        let data = try Self.encoder.encode(evidence) + Data(code.value.utf8)
        do {
            let answer = try await store.idempotent(key: input.headers.idempotencyKey, operation: "collect", request: data) {
                db in
                guard let row = try Row.fetchOne(db, sql: "SELECT * FROM pickup WHERE code = ?", arguments: [code.value]) else {
                    throw UnknownPickup()
                }
                guard (row["collectedAt"] as Date?) == nil else { throw AlreadyCollected() }
                let failed = row["failedChecks"] as Int
                guard failed < HolderCheck.lockAfter else {
                    return CentralStore.Answer(
                        status: 200, body: try Self.encoder.encode(Components.Schemas.Collection(outcome: .locked)))
                }
                let matches = HolderCheck.matches(
                    applicantBSN: row["bsn"], applicantBirthDate: row["birthDate"], identity: Self.identity(evidence.identity))
                var body = Components.Schemas.Collection(outcome: .mismatch)
                if !matches {
                    try db.execute(
                        sql: "UPDATE pickup SET failedChecks = failedChecks + 1 WHERE code = ?", arguments: [code.value])
                    if failed + 1 >= HolderCheck.lockAfter { body.outcome = .locked }
                } else {
                    let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pickup WHERE collectedAt IS NOT NULL") ?? 0
                    let ticket = "A" + String(format: "%03d", count + 1)
                    try db.execute(
                        sql: "UPDATE pickup SET collectedAt = ?, ticket = ? WHERE code = ?",
                        arguments: [Date(), ticket, code.value])
                    body = .init(outcome: .collected, counter: "3", ticket: ticket)
                }
                return CentralStore.Answer(status: 200, body: try Self.encoder.encode(body))
            }
            return .ok(.init(body: .json(try Self.decoder.decode(Components.Schemas.Collection.self, from: answer.body))))
        } catch CentralStore.Refusal.keyReused {
            return .conflict(Self.keyReused)
        } catch is UnknownPickup {
            return .notFound(Self.unknownPickup)
        } catch is AlreadyCollected {
            return .conflict(Self.problem(409, "Already collected", "this document was handed out before"))
        }
    }

    struct UnknownPickup: Error {}
    struct AlreadyCollected: Error {}

    // MARK: - Staff, heartbeat, faults

    package func callStaff(_ input: Operations.CallStaff.Input) async throws -> Operations.CallStaff.Output {
        guard case .json(let call) = input.body else {
            return .default(statusCode: 422, Self.problem(422, "Unsupported body", nil))
        }
        if let reason = Self.invalidKey(input.headers.idempotencyKey) ?? Self.overLimit(call) {
            return .default(statusCode: 422, Self.problem(422, "Invalid request", reason))
        }
        let key = input.headers.idempotencyKey
        // With a back office, the call is a klantcontact too, recorded from the journal.
        let journal = gateway?.journal
        let marker = (gateway?.config.identificationPrefix ?? "") + "S-" + Self.shortID(key)
        do {
            let answer = try await store.idempotent(key: key, operation: "staff", request: try Self.encoder.encode(call)) {
                db in
                try db.execute(
                    sql: "INSERT INTO staffCall (kioskId, flow, step, createdAt) VALUES (?, ?, ?, ?)",
                    arguments: [call.kioskId, call.flow, call.step, Date()])
                let body = Components.Schemas.Accepted(id: "S-\(db.lastInsertedRowID)")
                try journal?.insertContact(
                    db, reference: "staff-" + key, kioskID: call.kioskId, marker: marker, zaak: nil,
                    sealed: Self.staffContact(call))
                return CentralStore.Answer(status: 202, body: try Self.encoder.encode(body))
            }
            if let gateway { Task { await gateway.run("staff-" + key) } }
            return .accepted(.init(body: .json(try Self.decoder.decode(Components.Schemas.Accepted.self, from: answer.body))))
        } catch CentralStore.Refusal.keyReused {
            return .default(statusCode: 409, Self.keyReused)
        }
    }

    package func heartbeat(_ input: Operations.Heartbeat.Input) async throws -> Operations.Heartbeat.Output {
        guard case .json(let beat) = input.body else {
            return .default(statusCode: 422, Self.problem(422, "Unsupported body", nil))
        }
        let kiosk = input.path.kioskId
        if let reason = Self.overLimit(beat, kiosk: kiosk) {
            return .default(statusCode: 422, Self.problem(422, "Invalid heartbeat", reason))
        }
        try await store.write { db in
            try db.execute(
                sql: """
                    INSERT INTO heartbeat (kioskId, sentAt, receivedAt, outboxBacklog) VALUES (?, ?, ?, ?)
                    ON CONFLICT(kioskId) DO UPDATE SET sentAt = excluded.sentAt, receivedAt = excluded.receivedAt,
                    outboxBacklog = excluded.outboxBacklog
                    """,
                arguments: [kiosk, beat.sentAt, Date(), beat.outboxBacklog])
        }
        return .noContent(.init())
    }

    package func raiseFault(_ input: Operations.RaiseFault.Input) async throws -> Operations.RaiseFault.Output {
        guard case .json(let fault) = input.body else { return .unprocessableContent(Self.problem(422, "Unsupported body", nil)) }
        if let reason = Self.invalidKey(input.headers.idempotencyKey) ?? Self.overLimit(fault) {
            return .unprocessableContent(Self.problem(422, "Invalid request", reason))
        }
        do {
            let answer = try await store.idempotent(
                key: input.headers.idempotencyKey, operation: "fault", request: try Self.encoder.encode(fault)
            ) { db in
                try db.execute(
                    sql: """
                        INSERT INTO fault (key, kioskId, device, code, severity, summary, firstSeen) VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT(key) DO UPDATE SET severity = excluded.severity, summary = excluded.summary, resolvedAt = NULL
                        """,
                    arguments: [
                        fault.key, fault.kioskId, fault.device, fault.code, fault.severity.rawValue, fault.summary,
                        fault.firstSeen,
                    ])
                return CentralStore.Answer(status: 202, body: try Self.encoder.encode(Components.Schemas.Accepted(id: fault.key)))
            }
            return .accepted(.init(body: .json(try Self.decoder.decode(Components.Schemas.Accepted.self, from: answer.body))))
        } catch CentralStore.Refusal.keyReused {
            return .default(statusCode: 409, Self.keyReused)
        }
    }

    package func resolveFault(_ input: Operations.ResolveFault.Input) async throws -> Operations.ResolveFault.Output {
        guard case .json(let resolution) = input.body else { return .notFound(Self.problem(404, "Unsupported body", nil)) }
        let key = input.path.faultKey
        if let reason = Self.invalidKey(input.headers.idempotencyKey) ?? Self.overLimit([("faultKey", key, 128)]) {
            return .default(statusCode: 422, Self.problem(422, "Invalid request", reason))
        }
        do {
            let answer = try await store.idempotent(
                key: input.headers.idempotencyKey, operation: "resolve", request: Data((key).utf8)
            ) { db in
                try db.execute(sql: "UPDATE fault SET resolvedAt = ? WHERE key = ?", arguments: [resolution.resolvedAt, key])
                guard db.changesCount > 0 else { throw UnknownFault() }
                return CentralStore.Answer(status: 202, body: try Self.encoder.encode(Components.Schemas.Accepted(id: key)))
            }
            return .accepted(.init(body: .json(try Self.decoder.decode(Components.Schemas.Accepted.self, from: answer.body))))
        } catch is UnknownFault {
            return .notFound(Self.problem(404, "No such fault", nil))
        } catch CentralStore.Refusal.keyReused {
            return .default(statusCode: 409, Self.keyReused)
        }
    }

    struct UnknownFault: Error {}

    // MARK: - Admin

    package func seedPickups(_ input: Operations.SeedPickups.Input) async throws -> Operations.SeedPickups.Output {
        guard case .json(let seeds) = input.body else {
            return .default(statusCode: 422, Self.problem(422, "Unsupported body", nil))
        }
        for seed in seeds
        where (try? PickupCode(seed.code)) == nil || !Self.isYYMMDD(seed.birthDate) || (try? BSN(seed.bsn)) == nil {
            return .default(
                statusCode: 422,
                Self.problem(422, "Invalid pickup", "code \(seed.code.prefix(8)), its BSN or its birth date is malformed"))
        }
        try await store.write { db in
            for seed in seeds {
                try db.execute(
                    sql: """
                        INSERT INTO pickup (code, documentKind, bsn, birthDate, surname) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT(code) DO UPDATE SET documentKind = excluded.documentKind, bsn = excluded.bsn,
                        birthDate = excluded.birthDate, surname = excluded.surname, collectedAt = NULL, ticket = NULL,
                        failedChecks = 0
                        """,
                    arguments: [
                        try PickupCode(seed.code).value, seed.documentKind.rawValue, seed.bsn, seed.birthDate,
                        seed.surname.uppercased(),
                    ])
            }
        }
        return .noContent(.init())
    }

    package func unlockPickup(_ input: Operations.UnlockPickup.Input) async throws -> Operations.UnlockPickup.Output {
        guard let code = try? PickupCode(input.path.code) else { return .notFound(Self.unknownPickup) }
        // With a back office, the failed checks are counted in its own table (the register of cases has no place for them).
        let table = gateway == nil ? "pickup" : "backOfficePickup"
        let kept = gateway?.journal.codeKey(code.value) ?? code.value
        let changed = try await store.write { db in
            try db.execute(sql: "UPDATE \(table) SET failedChecks = 0 WHERE code = ?", arguments: [kept])
            return db.changesCount
        }
        return changed == 0 ? .notFound(Self.unknownPickup) : .noContent(.init())
    }

    package func listCases(_ input: Operations.ListCases.Input) async throws -> Operations.ListCases.Output {
        let cases = try await store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM extractCase ORDER BY createdAt, caseId").map { row in
                Components.Schemas.CaseSummary(
                    caseId: row["caseId"], reference: row["reference"], kioskId: row["kioskId"], product: row["product"],
                    bsnSource: (row["bsnSource"] as String?).flatMap(Components.Schemas.CaseSummary.BsnSourcePayload.init),
                    createdAt: row["createdAt"],
                    payment: try (row["payment"] as Data?).map {
                        try Self.decoder.decode(Components.Schemas.Payment.self, from: $0)
                    })
            }
        }
        return .ok(.init(body: .json(cases)))
    }

    package func listFaults(_ input: Operations.ListFaults.Input) async throws -> Operations.ListFaults.Output {
        let faults = try await store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM fault ORDER BY firstSeen, key").map { row in
                Components.Schemas.FaultSummary(
                    key: row["key"], kioskId: row["kioskId"], device: row["device"], code: row["code"],
                    severity: row["severity"], summary: row["summary"], firstSeen: row["firstSeen"],
                    resolvedAt: row["resolvedAt"])
            }
        }
        return .ok(.init(body: .json(faults)))
    }

    package func setBehaviour(_ input: Operations.SetBehaviour.Input) async throws -> Operations.SetBehaviour.Output {
        guard case .json(let behaviour) = input.body else {
            return .default(statusCode: 422, Self.problem(422, "Unsupported body", nil))
        }
        if let reason = Self.overLimit(behaviour) {
            return .default(statusCode: 422, Self.problem(422, "Invalid behaviour", reason))
        }
        Behaviour.current.withLock { $0 = behaviour }
        return .noContent(.init())
    }

    // MARK: - Helpers

    static func problem(_ status: Int, _ title: String, _ detail: String?) -> Components.Responses.Problem {
        .init(body: .applicationProblemJson(.init(_type: "about:blank", title: title, status: status, detail: detail)))
    }

    static let keyReused = problem(409, "Idempotency-Key reused", "this key was used before for a different request")
    static let unknownPickup = problem(404, "Unknown pickup code", "no document is waiting for this code")

    static func invalidKey(_ key: String) -> String? {
        (16...64).contains(key.count) && key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
            ? nil : "Idempotency-Key must be 16 to 64 letters, digits or dashes"
    }

    static func isYYMMDD(_ text: String) -> Bool {
        text.count == 6 && text.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
