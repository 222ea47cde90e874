import CentralAPI
import Foundation
import KioskTesting
import OpenAPIRuntime
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// kiosk-central with `--backend commonground` against the back-office stand-in: the extract from the BRP, each request a
/// zaak with its document, rol, statussen and klantcontact, exactly once whatever the servers do. Every message the
/// stand-in saw is checked against the official documents; a test fails on any violation.
@Suite(.serialized) struct BackOfficeTests {
    /// One gateway for the suite, on the shared stand-in.
    static let gateway = Task { () throws -> RunningCentral in
        let backOffice = try await BackOfficePeer.shared.value
        return try await CentralPeer.start(extra: ["--backend", "commonground", "--config", try backOffice.config()])
    }

    static func identity(
        _ surname: String = "DE BRUIJN", given: String = "WILLEKE LISELOTTE", birth: String = "650310",
        personalNumber: String? = Specimen.nlBSN
    ) -> Components.Schemas.Identity {
        .init(
            documentCode: "P", issuer: personalNumber == nil ? "UTO" : "NLD", documentNumber: "SPECI2025", surname: surname,
            givenNames: given, nationality: personalNumber == nil ? "UTO" : "NLD", birthDate: birth, sex: "F",
            expiryDate: "350309", personalNumber: personalNumber)
    }

    static let eriksson = identity("ERIKSSON", given: "ANNA MARIA", birth: "740812", personalNumber: nil)

    static func extract(
        _ reference: String, bsn: String = Specimen.nlBSN, source: Components.Schemas.ExtractRequest.BsnSourcePayload = .chip,
        identity: Components.Schemas.Identity = identity(), product: Components.Schemas.ExtractRequest.ProductPayload = .standard
    ) -> Components.Schemas.ExtractRequest {
        .init(
            reference: reference, kioskId: "test-kiosk", product: product, feeCents: 1440, bsn: bsn, bsnSource: source,
            identity: identity, language: .nl)
    }

    static func reference() -> String { "TLB-" + String(UUID().uuidString.prefix(8)) }

    /// The stand-in's objects of one request, found by the zaak's identificatie.
    struct Case {
        var zaken: [[String: Any]] = []
        var documents: [[String: Any]] = []
        var links: [[String: Any]] = []
        var rollen: [[String: Any]] = []
        var statussen: [[String: Any]] = []
        var contacts: [[String: Any]] = []
    }

    static func objects(of identificatie: String) async throws -> Case {
        objects(of: identificatie, in: try await BackOfficePeer.shared.value.state())
    }

    static func objects(of identificatie: String, in state: [String: Any]) -> Case {
        func list(_ name: String) -> [[String: Any]] { state[name] as? [[String: Any]] ?? [] }
        var found = Case()
        found.zaken = list("zaken").filter { $0["identificatie"] as? String == identificatie }
        let urls = Set(found.zaken.compactMap { $0["url"] as? String })
        found.documents = list("enkelvoudiginformatieobjecten").filter {
            ($0["identificatie"] as? String) == identificatie + "-U"
        }
        found.links = list("zaakinformatieobjecten").filter { urls.contains($0["zaak"] as? String ?? "") }
        found.rollen = list("rollen").filter { urls.contains($0["zaak"] as? String ?? "") }
        found.statussen = list("statussen").filter { urls.contains($0["zaak"] as? String ?? "") }
        found.contacts = list("klantcontacten").filter { ($0["inhoud"] as? String ?? "").contains("[\(identificatie)]") }
        return found
    }

    /// Waits until the case's objects satisfy `done` (the gateway runs its steps after it answered the kiosk).
    static func awaitCase(_ identificatie: String, seconds: Int = 60, _ done: (Case) -> Bool) async throws -> Case {
        let state = try await BackOfficePeer.shared.value.awaitState(seconds: seconds) {
            done(objects(of: identificatie, in: $0))
        }
        return objects(of: identificatie, in: state)
    }

    static func expectNoViolations(since count: Int) async throws {
        let violations = try await BackOfficePeer.shared.value.violations()
        #expect(violations.count == count, "\(violations.dropFirst(count).joined(separator: "\n"))")
    }

    static func statusNames(_ found: Case) async throws -> [String] {
        let state = try await BackOfficePeer.shared.value.state()
        let types = (state["statustypen"] as? [[String: Any]] ?? []).reduce(into: [String: String]()) {
            $0[$1["url"] as? String ?? ""] = $1["omschrijving"] as? String
        }
        return found.statussen.compactMap { types[$0["statustype"] as? String ?? ""] }
    }

    // MARK: - The extract

    @Test func aStandardExtractIsDrawnFromTheRegisterAndBecomesOneWholeCase() async throws {
        let before = try await BackOfficePeer.shared.value.violations().count
        let central = try await Self.gateway.value
        let client = try await CentralPeer.client(timeout: 10, of: central)
        let reference = Self.reference()
        let made = try await client.submitExtractRequest(
            headers: .init(idempotencyKey: UUID().uuidString), body: .json(Self.extract(reference))
        ).created.body.json
        #expect(made.caseId == "KSK-" + reference)
        #expect(made.status == .produced)
        let pdf = try await Data(
            collecting: try await client.getDocument(path: .init(documentId: try #require(made.documentId))).ok.body.pdf,
            upTo: 1 << 20)
        let text = try await Harness.pdfText(pdf)
        for expected in ["de Bruijn", "Willeke Liselotte", "10-03-1965", "Tilburg", "Stadhuisplein 130", "Nederlandse"] {
            #expect(text.contains(expected), "the extract lacks \(expected)")
        }
        #expect(text.contains("Basisregistratie Personen op de datum van afgifte"))

        let found = try await Self.awaitCase(made.caseId) { $0.statussen.count == 2 && $0.contacts.count == 1 }
        #expect(found.zaken.count == 1)
        #expect(found.documents.count == 1)
        #expect(found.links.count == 1)
        #expect(found.rollen.count == 1)
        let person = found.rollen.first?["betrokkeneIdentificatie"] as? [String: Any]
        #expect(person?["inpBsn"] as? String == Specimen.nlBSN)
        #expect(try await Self.statusNames(found) == ["Ontvangen", "Afgehandeld"])
        let kenmerken = found.zaken.first?["kenmerken"] as? [[String: String]] ?? []
        #expect(kenmerken.contains { $0["bron"] == "kioskreferentie" && $0["kenmerk"] == reference })
        #expect(found.contacts.first?["kanaal"] as? String == "Zelfbedieningszuil Stadswinkel")
        try await Self.expectNoViolations(since: before)
    }

    @Test func aTypedBSNMustBeTheChipHoldersAndKnownAndNotSecret() async throws {
        let before = try await BackOfficePeer.shared.value.violations().count
        let client = try await CentralPeer.client(timeout: 10, of: try await Self.gateway.value)
        func submit(_ bsn: String, _ identity: Components.Schemas.Identity) async throws
            -> Operations.SubmitExtractRequest.Output
        {
            try await client.submitExtractRequest(
                headers: .init(idempotencyKey: UUID().uuidString),
                body: .json(Self.extract(Self.reference(), bsn: bsn, source: .typed, identity: identity)))
        }
        // The foreign passport's holder typed de Bruijn's BSN: the register's name and birth date are not hers.
        let other = try await submit(Specimen.nlBSN, Self.eriksson)
        #expect(try other.unprocessableContent.body.applicationProblemJson.title == "Not the document's holder")
        // Her own BSN is taken.
        #expect(try await submit("999990019", Self.eriksson).created.body.json.status == .produced)
        // A BSN the register does not know.
        let unknown = try await submit("999990044", Self.eriksson)
        // The same answer as a BSN that is somebody else's: typing BSNs tells a stranger nothing.
        #expect(
            try unknown.unprocessableContent.body.applicationProblemJson == other.unprocessableContent.body.applicationProblemJson
        )
        // A person whose data the register withholds is sent to the counter.
        let secret = try await submit("999990020", Self.eriksson)
        #expect(try secret.unprocessableContent.body.applicationProblemJson.title == "Go to the counter")
        // A stranger who types that BSN learns nothing of the secrecy: the holder check comes first.
        let stranger = try await submit("999990020", Self.identity())
        #expect(try stranger.unprocessableContent.body.applicationProblemJson.title == "Not the document's holder")
        try await Self.expectNoViolations(since: before)
    }

    @Test func theHistoryExtractIsAQueuedCaseWithoutADocument() async throws {
        let before = try await BackOfficePeer.shared.value.violations().count
        let client = try await CentralPeer.client(timeout: 10, of: try await Self.gateway.value)
        let made = try await client.submitExtractRequest(
            headers: .init(idempotencyKey: UUID().uuidString), body: .json(Self.extract(Self.reference(), product: .history))
        ).created.body.json
        #expect(made.status == .queued)
        #expect(made.documentId == nil)
        let found = try await Self.awaitCase(made.caseId) { $0.contacts.count == 1 }
        #expect(found.zaken.count == 1 && found.documents.isEmpty && found.rollen.count == 1)
        #expect(try await Self.statusNames(found) == ["Ontvangen"], "open for the back office, not closed")
        try await Self.expectNoViolations(since: before)
    }

    // MARK: - Exactly once

    @Test func lostAnswersLeaveOneOfEachObject() async throws {
        let backOffice = try await BackOfficePeer.shared.value
        let before = try await backOffice.violations().count
        let client = try await CentralPeer.client(timeout: 10, of: try await Self.gateway.value)
        // Each create is done by the server, and its answer lost (a 502 from a proxy, or a dropped connection).
        try await backOffice.inject([
            ["method": "POST", "path": "/zaken/api/v1/zaken$", "after": true, "status": 502],
            ["method": "POST", "path": "/enkelvoudiginformatieobjecten$", "after": true, "drop": true],
            ["method": "POST", "path": "/zaakinformatieobjecten$", "after": true, "status": 500],
            ["method": "POST", "path": "/rollen$", "after": true, "status": 503],
            ["method": "POST", "path": "/statussen$", "after": true, "drop": true],
            ["method": "POST", "path": "/maak-klantcontact$", "after": true, "status": 500],
        ])
        let made = try await client.submitExtractRequest(
            headers: .init(idempotencyKey: UUID().uuidString), body: .json(Self.extract(Self.reference()))
        ).created.body.json
        _ = try await client.getDocument(path: .init(documentId: try #require(made.documentId))).ok
        let found = try await Self.awaitCase(made.caseId, seconds: 120) { $0.statussen.count == 2 && $0.contacts.count == 1 }
        try await backOffice.inject([])
        // Every injection fired: each create's answer was lost once.
        let lost = try await backOffice.requests().filter { ["502", "500", "503", "dropped"].contains("\($0["status"] ?? "")") }
        #expect(lost.count == 6, "\(lost)")
        #expect(found.zaken.count == 1)
        #expect(found.documents.count == 1)
        #expect(found.links.count == 1)
        #expect(found.rollen.count == 1)
        #expect(try await Self.statusNames(found) == ["Ontvangen", "Afgehandeld"])
        #expect(found.contacts.count == 1)
        try await Self.expectNoViolations(since: before)
    }
}

extension BackOfficeTests {
    /// A gateway of the test's own, on its own database (so that it can be killed and started again on it).
    static func ownGateway(
        database: String? = nil, config: String? = nil, zaaktype: String = "UITTREKSEL-BRP",
        secret: String = BackOfficePeer.zgwSecret
    ) async throws -> RunningCentral {
        let backOffice = try await BackOfficePeer.shared.value
        let config = try config ?? backOffice.config(zaaktype: zaaktype, zgwSecret: secret)
        return try await CentralPeer.start(database: database, extra: ["--backend", "commonground", "--config", config])
    }

    static func log(_ central: RunningCentral) -> [String] {
        ((try? String(contentsOfFile: central.dir + "/err", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
            .filter { $0.contains("back office") }
    }

    static func awaitLog(_ central: RunningCentral, containing text: String) async throws -> [String] {
        for _ in 0..<300 {
            let lines = log(central).filter { $0.contains(text) }
            if !lines.isEmpty { return lines }
            try await Task.sleep(for: .milliseconds(100))
        }
        return []
    }

    // MARK: - Bad answers and bad configuration

    @Test func aRegisterThatAnswersNonsenseIsUnavailableNotAnError() async throws {
        let backOffice = try await BackOfficePeer.shared.value
        let central = try await Self.gateway.value
        let client = try await CentralPeer.client(timeout: 10, of: central)
        for rule: [String: Any] in [["path": "/personen$", "garbage": true], ["path": "/personen$", "mismatch": true]] {
            try await backOffice.inject([rule])
            let answer = try await client.submitExtractRequest(
                headers: .init(idempotencyKey: UUID().uuidString), body: .json(Self.extract(Self.reference())))
            guard case .serviceUnavailable(let unavailable) = answer else {
                Issue.record("a nonsense register answer gave \(answer)")
                continue
            }
            #expect(unavailable.headers.retryAfter == "30")
        }
        try await backOffice.inject([])
        let lines = Self.log(central).filter { $0.contains("the BRP") }
        #expect(lines.count >= 2)
        #expect(lines.allSatisfy { !$0.contains(Specimen.nlBSN) && !$0.contains("Bruijn") }, "no personal data in the log")
    }

    @Test func anUnpublishedZaaktypeKeepsTheRequestInTheJournal() async throws {
        let central = try await Self.ownGateway(zaaktype: "UITTREKSEL-CONCEPT")
        let client = try await CentralPeer.client(timeout: 10, of: central)
        let made = try await client.submitExtractRequest(
            headers: .init(idempotencyKey: UUID().uuidString), body: .json(Self.extract(Self.reference()))
        ).created.body.json
        let lines = try await Self.awaitLog(central, containing: "no published zaaktype UITTREKSEL-CONCEPT")
        #expect(!lines.isEmpty)
        #expect(try await Self.objects(of: made.caseId).zaken.isEmpty)
        // Still serving.
        #expect(try await client.getCatalog().ok.body.json.products.count == 3)
        try await CentralPeer.stop(central)
    }

    @Test func aWrongSecretIsOneLineAndTheServerKeepsServing() async throws {
        let config = try await BackOfficePeer.shared.value.config(zgwSecret: "a-wrong-secret-that-is-long-enough-0123")
        let central = try await Self.ownGateway(config: config)
        let client = try await CentralPeer.client(timeout: 10, of: central)
        let made = try await client.submitExtractRequest(
            headers: .init(idempotencyKey: UUID().uuidString), body: .json(Self.extract(Self.reference()))
        ).created.body.json
        let lines = try await Self.awaitLog(central, containing: "answered 403")
        #expect(lines.first?.contains("catalogi GET /zaaktypen") == true, "\(lines)")
        // And a fault staff see with the kiosks' faults.
        let faults = try await CentralPeer.admin(of: central).listFaults().ok.body.json
        #expect(faults.contains { $0.code == "credentials" && $0.device == "backoffice" && $0.resolvedAt == nil })
        #expect(try await Self.objects(of: made.caseId).zaken.isEmpty)
        #expect(try await client.getCatalog().ok.body.json.products.count == 3)
        try await CentralPeer.stop(central)
        // The secret mended and kiosk-central started again on the same database: the request becomes its case, and the
        // fault left from before is resolved.
        let folder = (config as NSString).deletingLastPathComponent
        try Data(BackOfficePeer.zgwSecret.utf8).write(to: URL(fileURLWithPath: folder + "/zgw.secret"))
        let mended = try await Self.ownGateway(database: central.dir + "/central.db", config: config)
        let found = try await Self.awaitCase(made.caseId) { $0.contacts.count == 1 }
        #expect(found.zaken.count == 1)
        let after = try await CentralPeer.admin(of: mended).listFaults().ok.body.json
        #expect(after.contains { $0.code == "credentials" && $0.device == "backoffice" && $0.resolvedAt != nil }, "\(after)")
        try await CentralPeer.stop(mended)
    }

    @Test func aTimeoutHalfwayIsRetriedWithoutADuplicate() async throws {
        let backOffice = try await BackOfficePeer.shared.value
        let before = try await backOffice.violations().count
        let client = try await CentralPeer.client(timeout: 10, of: try await Self.gateway.value)
        // The gateway waits 3 s for the call, and looks again 9 s after it began; the rol is made after 6, between the two.
        try await backOffice.inject([["method": "POST", "path": "/rollen$", "delayMillis": 6000]])
        let made = try await client.submitExtractRequest(
            headers: .init(idempotencyKey: UUID().uuidString),
            body: .json(Self.extract(Self.reference(), product: .international))
        ).created.body.json
        let found = try await Self.awaitCase(made.caseId, seconds: 60) { $0.contacts.count == 1 }
        try await backOffice.inject([])
        #expect(found.rollen.count == 1)
        #expect(found.zaken.count == 1)
        try await Self.expectNoViolations(since: before)
    }

    // MARK: - kill -9

    @Test func killedDuringTheStepsEachRequestIsOneCase() async throws {
        let backOffice = try await BackOfficePeer.shared.value
        let before = try await backOffice.violations().count
        // Slow creates widen the windows between a call and its journal entry.
        try await backOffice.inject([["method": "POST", "path": ".", "delayMillis": 150, "times": 10_000]])
        // The same configuration (and so the same journal key) after every restart.
        let config = try backOffice.config()
        var central = try await Self.ownGateway(config: config)
        let database = central.dir + "/central.db"
        var cases: [String] = []
        for _ in 0..<6 {
            let client = try await CentralPeer.client(timeout: 10, of: central)
            let made = try await client.submitExtractRequest(
                headers: .init(idempotencyKey: UUID().uuidString), body: .json(Self.extract(Self.reference()))
            ).created.body.json
            _ = try await client.getDocument(path: .init(documentId: try #require(made.documentId))).ok
            cases.append(made.caseId)
        }
        // kill -9 at points spread over the steps (after the stand-in answered so many more calls, while others are under
        // way), and start again on the same database.
        for calls in [2, 5, 9, 14, 20] {
            _ = try await backOffice.awaitRequests(after: try await backOffice.requestCount(), count: calls)
            kill(central.pid, SIGKILL)
            var status: Int32 = 0
            waitpid(central.pid, &status, 0)
            central = try await Self.ownGateway(database: database, config: config)
        }
        var done: [Case] = []
        for identificatie in cases {
            done.append(
                try await Self.awaitCase(identificatie, seconds: 60) { $0.statussen.count == 2 && $0.contacts.count == 1 })
        }
        try await backOffice.inject([])
        for (identificatie, found) in zip(cases, done) {
            #expect(found.zaken.count == 1, "\(identificatie): \(found.zaken.count) zaken")
            #expect(found.documents.count == 1, "\(identificatie)")
            #expect(found.links.count == 1, "\(identificatie)")
            #expect(found.rollen.count == 1, "\(identificatie)")
            #expect(found.statussen.count == 2, "\(identificatie)")
            #expect(found.contacts.count == 1, "\(identificatie)")
        }
        try await Self.expectNoViolations(since: before)
        try await CentralPeer.stop(central)
    }
}

extension BackOfficeTests {
    static func contacts(subject: String, in state: [String: Any]) -> [[String: Any]] {
        (state["klantcontacten"] as? [[String: Any]] ?? []).filter { $0["onderwerp"] as? String == subject }
    }

    static func contacts(subject: String) async throws -> [[String: Any]] {
        contacts(subject: subject, in: try await BackOfficePeer.shared.value.state())
    }

    static func awaitContacts(subject: String, count: Int) async throws -> [[String: Any]] {
        let state = try await BackOfficePeer.shared.value.awaitState(seconds: 30) {
            contacts(subject: subject, in: $0).count >= count
        }
        return contacts(subject: subject, in: state)
    }

    // MARK: - Pickups from the register of cases

    @Test func aPickupIsAZaakReadyForCollectionAndCollectingSetsItsStatus() async throws {
        let backOffice = try await BackOfficePeer.shared.value
        let before = try await backOffice.violations().count
        let client = try await CentralPeer.client(timeout: 10, of: try await Self.gateway.value)
        #expect(try await client.lookupPickup(path: .init(code: "K7QM3XPA")).ok.body.json.documentKind == .passport)
        // Not ready yet, and unknown.
        if case .ok = try await client.lookupPickup(path: .init(code: "M3NR8TQW")) {
            Issue.record("a pickup not ready was found")
        }
        if case .ok = try await client.lookupPickup(path: .init(code: "ZZZZ2222")) { Issue.record("an unknown code was found") }

        let stranger = try await client.collectPickup(
            path: .init(code: "K7QM3XPA"), headers: .init(idempotencyKey: UUID().uuidString),
            body: .json(.init(kioskId: "test-kiosk", identity: Self.eriksson)))
        #expect(try stranger.ok.body.json.outcome == .mismatch)
        let key = UUID().uuidString
        let holder = Components.Schemas.IdentityEvidence(kioskId: "test-kiosk", identity: Self.identity())
        let collected = try await client.collectPickup(
            path: .init(code: "K7QM3XPA"), headers: .init(idempotencyKey: key), body: .json(holder)
        ).ok.body.json
        #expect(collected.outcome == .collected)
        #expect(collected.ticket?.hasPrefix("A") == true)
        let retried = try await client.collectPickup(
            path: .init(code: "K7QM3XPA"), headers: .init(idempotencyKey: key), body: .json(holder)
        ).ok.body.json
        #expect(retried == collected, "a retried collect gets the same answer")
        let again = try await client.collectPickup(
            path: .init(code: "K7QM3XPA"), headers: .init(idempotencyKey: UUID().uuidString), body: .json(holder))
        #expect(try again.conflict.body.applicationProblemJson.title == "Already collected")
        if case .ok = try await client.lookupPickup(path: .init(code: "K7QM3XPA")) { Issue.record("a collected code was found") }

        // The zaak's status is now "Uitgereikt", set once; the contact names the zaak.
        let state = try await backOffice.state()
        let zaak = (state["zaken"] as? [[String: Any]] ?? []).first {
            ($0["kenmerken"] as? [[String: String]] ?? []).contains { $0["kenmerk"] == "K7QM3XPA" }
        }
        let zaakURL = try #require(zaak?["url"] as? String)
        let types = (state["statustypen"] as? [[String: Any]] ?? []).reduce(into: [String: String]()) {
            $0[$1["url"] as? String ?? ""] = $1["omschrijving"] as? String
        }
        let names = (state["statussen"] as? [[String: Any]] ?? []).filter { $0["zaak"] as? String == zaakURL }
            .compactMap { types[$0["statustype"] as? String ?? ""] }
        #expect(names == ["Gereed voor afhalen", "Uitgereikt"])
        let contact = try await Self.awaitContacts(subject: "Document afgehaald", count: 1)
        #expect(contact.count == 1)
        let onderwerpen = try await backOffice.state()["onderwerpobjecten"] as? [[String: Any]] ?? []
        #expect(
            onderwerpen.contains {
                (($0["onderwerpobjectidentificator"] as? [String: Any])?["objectId"] as? String) == zaakURL
            })
        try await Self.expectNoViolations(since: before)
    }

    @Test func fiveFailedHolderChecksLockTheCode() async throws {
        let client = try await CentralPeer.client(timeout: 10, of: try await Self.gateway.value)
        var outcomes: [Components.Schemas.Collection.OutcomePayload] = []
        for _ in 0..<6 {
            outcomes.append(
                try await client.collectPickup(
                    path: .init(code: "HW4T9RNE"), headers: .init(idempotencyKey: UUID().uuidString),
                    body: .json(.init(kioskId: "test-kiosk", identity: Self.eriksson))
                ).ok.body.json.outcome)
        }
        #expect(outcomes == [.mismatch, .mismatch, .mismatch, .mismatch, .locked, .locked])
        #expect(try await client.lookupPickup(path: .init(code: "HW4T9RNE")).ok.body.json.locked == true)
        // Locked even for the holder, until staff unlock it.
        let holder = try await client.collectPickup(
            path: .init(code: "HW4T9RNE"), headers: .init(idempotencyKey: UUID().uuidString),
            body: .json(.init(kioskId: "test-kiosk", identity: Self.identity())))
        #expect(try holder.ok.body.json.outcome == .locked)
        // Staff unlock it; the holder then collects.
        let central = try await Self.gateway.value
        _ = try await CentralPeer.admin(of: central).unlockPickup(path: .init(code: "HW4T9RNE")).noContent
        let unlocked = try await client.collectPickup(
            path: .init(code: "HW4T9RNE"), headers: .init(idempotencyKey: UUID().uuidString),
            body: .json(.init(kioskId: "test-kiosk", identity: Self.identity())))
        #expect(try unlocked.ok.body.json.outcome == .collected)
        // kiosk-central keeps its count under an HMAC of the code, never the code itself (the WAL included).
        for file in ["central.db", "central.db-wal"] {
            let bytes = FileManager.default.contents(atPath: central.dir + "/" + file) ?? Data()
            #expect(bytes.range(of: Data("HW4T9RNE".utf8)) == nil, "the pickup code in clear in \(file)")
        }
    }

    // MARK: - Every contact is recorded

    @Test func aCallForStaffAndAReferralAreContactsToo() async throws {
        let before = try await BackOfficePeer.shared.value.violations().count
        let client = try await CentralPeer.client(timeout: 10, of: try await Self.gateway.value)
        let staffBefore = try await Self.contacts(subject: "Medewerker geroepen").count
        _ = try await client.callStaff(
            headers: .init(idempotencyKey: UUID().uuidString),
            body: .json(.init(kioskId: "test-kiosk", flow: "extract-request", step: "identify", language: .en))
        ).accepted
        let staff = try await Self.awaitContacts(subject: "Medewerker geroepen", count: staffBefore + 1)
        #expect(staff.count == staffBefore + 1)
        #expect((staff.last?["inhoud"] as? String)?.contains("flow extract-request, stap identify") == true)
        #expect(staff.last?["taal"] as? String == "eng", "ISO 639-2, in the resident's language")

        let referralsBefore = try await Self.contacts(subject: "Verwezen naar de balie").count
        let refused = try await client.submitExtractRequest(
            headers: .init(idempotencyKey: UUID().uuidString),
            body: .json(Self.extract(Self.reference(), bsn: "999990044", source: .typed, identity: Self.eriksson)))
        #expect(try refused.unprocessableContent.body.applicationProblemJson.title == "Not the document's holder")
        let referrals = try await Self.awaitContacts(subject: "Verwezen naar de balie", count: referralsBefore + 1)
        #expect(referrals.count == referralsBefore + 1)
        let text = referrals.last?["inhoud"] as? String ?? ""
        #expect(text.contains("BSN onbekend"))
        #expect(!text.contains("999990044"), "no BSN in the contact's text")
        try await Self.expectNoViolations(since: before)
    }
}

extension BackOfficeTests {
    /// kiosk-central's database restored from an old backup, or a second gateway: its journal does not know the case the
    /// back office already has. The servers' natural keys (identificatie-niet-uniek) and the look-ups keep it one case.
    @Test func aJournalThatForgotTheCaseStillMakesOne() async throws {
        let before = try await BackOfficePeer.shared.value.violations().count
        let request = Self.extract(Self.reference())
        var made: [Components.Schemas.ExtractCase] = []
        for _ in 0..<2 {
            let central = try await Self.ownGateway()
            let client = try await CentralPeer.client(timeout: 10, of: central)
            let answer = try await client.submitExtractRequest(
                headers: .init(idempotencyKey: UUID().uuidString), body: .json(request)
            ).created.body.json
            _ = try await client.getDocument(path: .init(documentId: try #require(answer.documentId))).ok
            made.append(answer)
            // Done when this gateway's journal says so (the back office may have had the case already).
            #expect(try await Self.awaitJournalDone(central, reference: request.reference), "the journal did not finish")
            try await CentralPeer.stop(central)
        }
        #expect(made[0].caseId == made[1].caseId)
        let found = try await Self.objects(of: made[0].caseId)
        #expect(found.zaken.count == 1)
        #expect(found.documents.count == 1)
        #expect(found.links.count == 1)
        #expect(found.rollen.count == 1)
        #expect(found.statussen.count == 2)
        #expect(found.contacts.count == 1)
        let refused = try await BackOfficePeer.shared.value.requests().filter {
            "\($0["status"] ?? "")" == "400"
                && ["/zaken/api/v1/zaken", "/documenten/api/v1/enkelvoudiginformatieobjecten"]
                    .contains($0["path"] as? String ?? "")
        }
        #expect(refused.count >= 2, "the second gateway met identificatie-niet-uniek for the zaak and the document")
        try await Self.expectNoViolations(since: before)
    }

    /// Whether the gateway's journal has finished the request: its row in kiosk-central's database, read with sqlite3.
    static func awaitJournalDone(_ central: RunningCentral, reference: String) async throws -> Bool {
        for _ in 0..<300 {
            let out = try await Harness.run(
                "/usr/bin/sqlite3",
                [central.dir + "/central.db", "SELECT finishedAt IS NOT NULL FROM backOffice WHERE reference = '\(reference)'"])
            if out.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1" { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
