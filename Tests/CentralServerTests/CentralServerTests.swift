import CentralAPI
import Foundation
import KioskCore
import KioskTesting
import OpenAPIRuntime
import Testing

@testable import CentralServer

/// kiosk-central over real HTTP, through the generated client: the contract's answers, idempotency, and input checks.
/// Serialized: the suite shares one server, and the behaviour tests change how it answers.
extension AgainstKioskCentral {
    @Suite struct CentralServerTests {
        /// The Dutch specimen passport valid to 2035, as the chip gives it (its personal number is the BSN).
        static let identity = Components.Schemas.Identity(
            documentCode: "P", issuer: "NLD", documentNumber: "SPECI2025", surname: "DE BRUIJN",
            givenNames: "WILLEKE LISELOTTE", nationality: "NLD", birthDate: "650310", sex: "F", expiryDate: "350309",
            personalNumber: Specimen.nlBSN)

        static func extract(
            _ reference: String, bsn: String = Specimen.nlBSN, source: Components.Schemas.ExtractRequest.BsnSourcePayload = .chip
        ) -> Components.Schemas.ExtractRequest {
            .init(
                reference: reference, kioskId: "test-kiosk", product: .standard, feeCents: 1440, bsn: bsn, bsnSource: source,
                identity: identity, language: .nl)
        }

        static func key() -> String { UUID().uuidString }

        /// A fresh pickup code with a document waiting for the Dutch specimen holder.
        static func seedPickup(_ kind: Components.Schemas.PickupSeed.DocumentKindPayload) async throws -> String {
            let code = String((0..<8).map { _ in "23456789ABCDEFGHJKLMNPQRSTUVWXYZ".randomElement()! })
            _ = try await CentralPeer.admin().seedPickups(
                body: .json([
                    .init(code: code, documentKind: kind, bsn: Specimen.nlBSN, birthDate: "650310", surname: "De Bruijn")
                ])
            ).noContent
            return code
        }

        @Test func theCatalogIsTheExtractFlowsProductChoice() async throws {
            let catalog = try await CentralPeer.client().getCatalog().ok.body.json
            let flow = try ShippedFlows.catalogue()
            #expect(catalog.products.map(\.id) == ["standard", "history", "international"])
            #expect(catalog.products.map(\.id) == flow.products.map(\.id))
            #expect(catalog.products.map(\.feeCents) == flow.products.map { $0.feeCents ?? 0 })
            #expect(catalog.products.map(\.title.en) == flow.products.map(\.title.en))
            #expect(catalog.products.last?.feeCents == 1755)
        }

        /// A product the flow does not offer is not taken, whatever the contract's list of products says.
        @Test func aProductOutsideTheCatalogIsRefused() async throws {
            let folder = try Harness.scratch()
            let flow = try String(contentsOfFile: ShippedFlows.extractFlow, encoding: .utf8)
            // The same flow, with the international extract taken off its product choice.
            let cut = flow.replacingOccurrences(
                of:
                    "      - id: international\n        label: {nl: Internationaal uittreksel, en: International extract}\n        fee: \"17.55\"\n        next: identify\n",
                with: "")
            #expect(cut != flow)
            try cut.write(toFile: folder + "/extract.yaml", atomically: true, encoding: .utf8)
            let central = try await CentralPeer.start(extra: ["--products", folder + "/extract.yaml"])
            let client = try await CentralPeer.client(of: central)
            #expect(try await client.getCatalog().ok.body.json.products.map(\.id) == ["standard", "history"])
            var request = CentralServerTests.extract("TLB-CUT00001")
            request.product = .international
            request.feeCents = 1755
            let refused = try await client.submitExtractRequest(
                headers: .init(idempotencyKey: UUID().uuidString), body: .json(request))
            #expect(try refused.unprocessableContent.body.applicationProblemJson.detail == "the product is not in the catalog")
            try await CentralPeer.stop(central)
        }

        @Test func theSameKeyGivesTheSameCaseAndNeverASecondOne() async throws {
            let client = try await CentralPeer.client()
            let reference = "TLB-" + String(UUID().uuidString.prefix(8))
            let key = Self.key()
            let first = try await client.submitExtractRequest(
                headers: .init(idempotencyKey: key), body: .json(Self.extract(reference)))
            let second = try await client.submitExtractRequest(
                headers: .init(idempotencyKey: key), body: .json(Self.extract(reference)))
            #expect(try first.created.body.json == second.created.body.json)
            #expect(try first.created.body.json.status == .produced)
            let cases = try await CentralPeer.admin().listCases().ok.body.json
            #expect(cases.filter { $0.reference == reference }.count == 1)

            let reused = try await client.submitExtractRequest(
                headers: .init(idempotencyKey: key), body: .json(Self.extract(reference + "X")))
            #expect(try reused.conflict.body.applicationProblemJson.title == "Idempotency-Key reused")
            let sameReference = try await client.submitExtractRequest(
                headers: .init(idempotencyKey: Self.key()), body: .json(Self.extract(reference)))
            #expect(try sameReference.conflict.body.applicationProblemJson.title == "Reference already used")
        }

        @Test func aStandardExtractIsProducedAtOnceAndAnInternationalOneIsQueued() async throws {
            // A kiosk-central of its own: another test's extract, not yet fetched, has the same font bytes, and would be
            // found in the shared one's files.
            let central = try await CentralPeer.start()
            let client = try await CentralPeer.client(of: central)
            let produced = try await client.submitExtractRequest(
                headers: .init(idempotencyKey: Self.key()), body: .json(Self.extract("TLB-" + UUID().uuidString.prefix(8)))
            )
            .created.body.json
            #expect(produced.status == .produced)
            let documentID = try #require(produced.documentId)
            let pdf = try await Data(
                collecting: try await client.getDocument(path: .init(documentId: documentID)).ok.body.pdf, upTo: 1 << 20)
            #expect(pdf.starts(with: Array("%PDF-".utf8)))
            let again = try await client.getDocument(path: .init(documentId: documentID))
            #expect(try again.notFound.body.applicationProblemJson.status == 404, "served once, then deleted: it holds a BSN")
            // Deleted from the files too, the WAL included (secure_delete, and a checkpoint with truncate after the delete).
            let dir = central.dir
            let files = ["", "-wal"].compactMap { FileManager.default.contents(atPath: dir + "/central.db" + $0) }.reduce(
                Data(), +)
            let slice = pdf.subdata(in: pdf.count / 2..<pdf.count / 2 + 48)
            #expect(files.range(of: slice) == nil, "the served extract is still in kiosk-central's files")

            var international = Self.extract("TLB-" + UUID().uuidString.prefix(8))
            international.product = .international
            let queued = try await client.submitExtractRequest(
                headers: .init(idempotencyKey: Self.key()), body: .json(international)
            ).created.body.json
            #expect(queued.status == .queued)
            #expect(queued.documentId == nil)
            let missing = try await client.getDocument(path: .init(documentId: "no-such-document"))
            #expect(try missing.notFound.body.applicationProblemJson.status == 404)
            try await CentralPeer.stop(central)
        }

        @Test func concurrentRetriesMakeOneCase() async throws {
            let client = try await CentralPeer.client()
            let reference = "TLB-" + String(UUID().uuidString.prefix(8))
            let key = Self.key()
            let ids = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await client.submitExtractRequest(
                            headers: .init(idempotencyKey: key), body: .json(Self.extract(reference))
                        )
                        .created.body.json.caseId
                    }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(ids.count == 1)
            #expect(try await CentralPeer.admin().listCases().ok.body.json.filter { $0.reference == reference }.count == 1)
        }

        @Test func badInputIsAProblemNotACase() async throws {
            let client = try await CentralPeer.client()
            let badBSN = try await client.submitExtractRequest(
                headers: .init(idempotencyKey: Self.key()), body: .json(Self.extract("TLB-BAD1", bsn: "123456789")))
            #expect(try badBSN.unprocessableContent.body.applicationProblemJson.detail == "bsn does not pass the 11-proef")
            // A BSN said to come from the chip must be the chip's personal number; a typed one is taken (and checked later).
            let notTheChips = try await client.submitExtractRequest(
                headers: .init(idempotencyKey: Self.key()), body: .json(Self.extract("TLB-BAD3", bsn: "123456782")))
            #expect(
                try notTheChips.unprocessableContent.body.applicationProblemJson.detail
                    == "bsnSource is chip, but the identity's personal number is not that BSN")
            let typed = try await client.submitExtractRequest(
                headers: .init(idempotencyKey: Self.key()),
                body: .json(Self.extract("TLB-" + UUID().uuidString.prefix(8), bsn: "123456782", source: .typed)))
            #expect(try typed.created.body.json.status == .produced)
            let shortKey = try await client.submitExtractRequest(
                headers: .init(idempotencyKey: "short"), body: .json(Self.extract("TLB-BAD2")))
            #expect(try shortKey.unprocessableContent.body.applicationProblemJson.status == 422)
            #expect(
                try await CentralPeer.admin().listCases().ok.body.json.contains { $0.reference.hasPrefix("TLB-BAD") } == false)
        }

        @Test func aPickupIsHandedOnlyToItsHolderAndOnlyOnce() async throws {
            let client = try await CentralPeer.client()
            let code = try await Self.seedPickup(.idCard)
            #expect(try await client.lookupPickup(path: .init(code: code)).ok.body.json.documentKind == .idCard)

            // A made-up chip with the holder's surname and birth date but another person's BSN, or none (a foreign
            // document), is not the holder.
            var stranger = Self.identity
            stranger.personalNumber = "123456782"
            var foreign = Self.identity
            foreign.issuer = "UTO"
            for identity in [stranger, foreign] {
                let mismatch = try await client.collectPickup(
                    path: .init(code: code), headers: .init(idempotencyKey: Self.key()),
                    body: .json(.init(kioskId: "test-kiosk", identity: identity)))
                #expect(try mismatch.ok.body.json.outcome == .mismatch)
            }

            let key = Self.key()
            let evidence = Components.Schemas.IdentityEvidence(kioskId: "test-kiosk", identity: Self.identity)
            let collected = try await client.collectPickup(
                path: .init(code: code), headers: .init(idempotencyKey: key), body: .json(evidence))
            #expect(try collected.ok.body.json.outcome == .collected)
            let replay = try await client.collectPickup(
                path: .init(code: code), headers: .init(idempotencyKey: key), body: .json(evidence))
            #expect(try replay.ok.body.json == collected.ok.body.json, "a retry gets the same ticket")
            let again = try await client.collectPickup(
                path: .init(code: code), headers: .init(idempotencyKey: Self.key()), body: .json(evidence))
            #expect(try again.conflict.body.applicationProblemJson.title == "Already collected")
            #expect(try await client.lookupPickup(path: .init(code: code)).notFound.body.applicationProblemJson.status == 404)
            #expect(
                try await client.lookupPickup(path: .init(code: "00000000")).notFound.body.applicationProblemJson.status == 404)
        }

        @Test func fiveFailedHolderChecksLockTheCodeUntilStaffUnlockIt() async throws {
            let client = try await CentralPeer.client()
            let code = try await Self.seedPickup(.passport)
            var guess = Self.identity
            var outcomes: [Components.Schemas.Collection.OutcomePayload] = []
            for day in 1...6 {
                guess.birthDate = "6503" + (day < 10 ? "0\(day)" : "\(day)")
                let answer = try await client.collectPickup(
                    path: .init(code: code), headers: .init(idempotencyKey: Self.key()),
                    body: .json(.init(kioskId: "test-kiosk", identity: guess)))
                outcomes.append(try answer.ok.body.json.outcome)
            }
            #expect(outcomes == [.mismatch, .mismatch, .mismatch, .mismatch, .locked, .locked])
            #expect(try await client.lookupPickup(path: .init(code: code)).ok.body.json.locked == true)
            // Even the holder is sent to the counter now.
            let holder = try await client.collectPickup(
                path: .init(code: code), headers: .init(idempotencyKey: Self.key()),
                body: .json(.init(kioskId: "test-kiosk", identity: Self.identity)))
            #expect(try holder.ok.body.json.outcome == .locked)

            _ = try await CentralPeer.admin().unlockPickup(path: .init(code: code)).noContent
            #expect(try await client.lookupPickup(path: .init(code: code)).ok.body.json.locked == nil)
            let collected = try await client.collectPickup(
                path: .init(code: code), headers: .init(idempotencyKey: Self.key()),
                body: .json(.init(kioskId: "test-kiosk", identity: Self.identity)))
            #expect(try collected.ok.body.json.outcome == .collected)
        }

        @Test func staffCallsHeartbeatsAndFaults() async throws {
            let client = try await CentralPeer.client()
            let call = try await client.callStaff(
                headers: .init(idempotencyKey: Self.key()),
                body: .json(.init(kioskId: "test-kiosk", flow: "pickup", step: "code", language: .nl)))
            #expect(try call.accepted.body.json.id.hasPrefix("S-"))
            _ = try await client.heartbeat(
                path: .init(kioskId: "test-kiosk"), body: .json(.init(sentAt: Date(), outboxBacklog: 0))
            )
            .noContent
            let fault = Components.Schemas.Fault(
                key: "test-kiosk/printer/paper-out", kioskId: "test-kiosk", device: "printer", code: "paper-out",
                severity: .warning,
                action: .clear, summary: "Papier op", firstSeen: Date())
            #expect(
                try await client.raiseFault(headers: .init(idempotencyKey: Self.key()), body: .json(fault)).accepted.body.json.id
                    == fault.key)
            let resolved = try await client.resolveFault(
                path: .init(faultKey: fault.key), headers: .init(idempotencyKey: Self.key()),
                body: .json(.init(resolvedAt: Date())))
            #expect(try resolved.accepted.body.json.id == fault.key)
            let unknown = try await client.resolveFault(
                path: .init(faultKey: "nope"), headers: .init(idempotencyKey: Self.key()), body: .json(.init(resolvedAt: Date())))
            #expect(try unknown.notFound.body.applicationProblemJson.status == 404)
        }

        @Test func aWrongTokenIsRefused() async throws {
            let stranger = try await CentralPeer.client(token: "not-the-right-token-at-all")
            guard case .default(let status, _) = try await stranger.getCatalog() else {
                Issue.record("a wrong token was accepted")
                return
            }
            #expect(status == 401)
            let kioskAsAdmin = try await CentralPeer.client()
            guard case .default(let adminStatus, _) = try await kioskAsAdmin.listCases() else {
                Issue.record("a kiosk token opened an admin operation")
                return
            }
            #expect(adminStatus == 401)
        }

        @Test func injectedFaultsLookLikeABadCentral() async throws {
            try await CentralPeer.misbehaving { admin in
                let client = try await CentralPeer.client(timeout: 1)

                _ = try await admin.setBehaviour(body: .json(.init(unavailableRetryAfter: 7))).noContent
                let unavailable = try await client.callStaff(
                    headers: .init(idempotencyKey: Self.key()), body: .json(.init(kioskId: "k", language: .nl)))
                #expect(try unavailable.serviceUnavailable.headers.retryAfter == "7")

                _ = try await admin.setBehaviour(body: .json(.init(garbage: true))).noContent
                await #expect(throws: (any Error).self) { _ = try await client.getCatalog() }

                _ = try await admin.setBehaviour(body: .json(.init(dropConnection: true))).noContent
                await #expect(throws: (any Error).self) { _ = try await client.getCatalog() }

                _ = try await admin.setBehaviour(body: .json(.init(hang: true))).noContent
                await #expect(throws: (any Error).self) { _ = try await client.getCatalog() }

                _ = try await admin.setBehaviour(body: .json(.init())).noContent
                #expect(try await client.getCatalog().ok.body.json.products.count == 3, "normal service again")
            }
        }
    }
}

@Suite struct CentralSetupTests {
    @Test func seedsAreReadWithLineNumbers() throws {
        let seeds = try CentralServerApp.seeds(
            yaml:
                "pickups:\n  - {code: K7QM-3XPA, documentKind: passport, bsn: '999999990', birthDate: '650310', surname: DE BRUIJN}\n",
            file: "s.yaml")
        #expect(seeds.map(\.code) == ["K7QM3XPA"])
        #expect(throws: ConfigurationError.self) {
            try CentralServerApp.seeds(
                yaml: "pickups:\n  - {code: K7QM-3XP0, documentKind: car, birthDate: '1', surname: X}\n", file: "s.yaml")
        }
        do {
            _ = try CentralServerApp.seeds(
                yaml: "pickups:\n  - {code: K7QM-3XP0, documentKind: passport, bsn: '999999990', birthDate: '1', surname: X}\n",
                file: "s.yaml")
            Issue.record("a bad code was taken")
        } catch {
            #expect(error.description == "s.yaml:2:12: 'K7QM-3XP0' is not a pickup code")
        }
        do {
            _ = try CentralServerApp.seeds(
                yaml: "pickups:\n  - {code: K7QM-3XPA, documentKind: passport, bsn: '123456789', birthDate: '1', surname: X}\n",
                file: "s.yaml")
            Issue.record("a BSN that fails the 11-proef was taken")
        } catch {
            #expect(error.description == "s.yaml:2:52: the BSN is not nine digits that pass the 11-proef")
        }
    }

    @Test func tokenFilesMustBePrivate() throws {
        let path = NSTemporaryDirectory() + "token-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        FileManager.default.createFile(
            atPath: path, contents: Data("a-long-enough-token-123\n".utf8), attributes: [.posixPermissions: 0o644])
        #expect(throws: ConfigurationError.self) { try CentralServerApp.token(fromFile: path) }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(try CentralServerApp.token(fromFile: path) == "a-long-enough-token-123")
    }
}
