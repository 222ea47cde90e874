import Central
import CentralAPI
import Foundation
import KioskCore
import KioskTesting
import Testing

/// ``HTTPCentral`` against the real kiosk-central: answers become flow outcomes, and every kind of failure becomes
/// `refused` or `unavailable` with one line, never a crash and never personal data.
extension AgainstKioskCentral {
    @Suite struct HTTPCentralTests {
        static let identity = Identity(mrz: try! MRZ(Specimen.nlPassport2035))

        /// A generous timeout: the tests that want one short say so. The machine is loaded while the suites run (a 2 s one
        /// timed out once on the first extract while other suites made certificates and started kioskd).
        static func central(token: String = CentralPeer.kioskToken, timeout: Duration = .seconds(10)) async throws -> HTTPCentral
        {
            try HTTPCentral(url: try await CentralPeer.shared.value.url, kioskID: "test-kiosk", token: token, timeout: timeout)
        }

        static func delivery() -> Delivery {
            Delivery(reference: "TLB-" + String(UUID().uuidString.prefix(8)), idempotencyKey: UUID().uuidString)
        }

        static func extract(bsn: String = Specimen.nlBSN) -> ServiceRequest {
            .extractRequest(
                ExtractRequest(
                    product: "history", feeCents: 1440, bsn: bsn, bsnSource: bsn == Specimen.nlBSN ? .chip : .typed,
                    identity: identity, language: .nl))
        }

        @Test func anExtractRequestIsAnsweredOnceHoweverOftenItIsSent() async throws {
            let central = try await Self.central()
            let delivery = Self.delivery()
            let first = await central.send(Self.extract(), delivery: delivery)
            guard case .answered(let result, _) = first else {
                Issue.record("expected an answer, got \(first)")
                return
            }
            #expect(result.outcome == .accepted, "kiosk-central produces the extract at once")
            #expect(result.fields["reference"] == delivery.reference)
            #expect(result.fields["caseId"]?.hasPrefix("Z-") == true)
            guard case .answered(_, let document?) = first else {
                Issue.record("the produced extract did not come with the answer")
                return
            }
            #expect(document.id == result.fields["documentId"])
            #expect(document.pdf.starts(with: Array("%PDF-".utf8)))
            // Sent again: the same case, never a second one; the extract was handed out once and is gone, so the retry
            // ends in the queued receipt rather than a second copy of the BSN.
            guard case .answered(let again, nil) = await central.send(Self.extract(), delivery: delivery) else {
                Issue.record("the retry was not answered without a document")
                return
            }
            #expect(again.fields["caseId"] == result.fields["caseId"])
            #expect(again.outcome == .queued)
            let cases = try await CentralPeer.admin().listCases().ok.body.json
            #expect(cases.filter { $0.reference == delivery.reference }.count == 1)
        }

        @Test func anExtractForTheBackOfficeIsQueued() async throws {
            let request = ServiceRequest.extractRequest(
                ExtractRequest(product: "international", feeCents: 1755, bsn: "123456782", identity: Self.identity, language: .en)
            )
            let answer = await (try await Self.central()).send(request, delivery: Self.delivery())
            guard case .answered(let result, nil) = answer else {
                Issue.record("expected an answer without a document, got \(answer)")
                return
            }
            #expect(result.outcome == .queued)
        }

        @Test func aProducedExtractThatCannotBeFetchedLeavesTheCaseQueued() async throws {
            try await CentralPeer.misbehaving { admin in
                let central = try await Self.central()
                for (behaviour, problem) in [
                    (
                        Components.Schemas.Behaviour(garbage: true, pathPrefix: "/v1/documents/"),
                        "getDocument: Unexpected content type, expected: application/pdf, received: application/json"
                    ),
                    (.init(unavailableRetryAfter: 5, pathPrefix: "/v1/documents/"), "the document download answered 503"),
                    (.init(oversized: true, pathPrefix: "/v1/documents/"), "the central's answer is larger than 4 MiB"),
                ] {
                    _ = try await admin.setBehaviour(body: .json(behaviour)).noContent
                    let answer = await central.send(Self.extract(), delivery: Self.delivery())
                    guard case .answered(let result, nil) = answer else {
                        Issue.record("\(behaviour): expected an answer without a document, got \(answer)")
                        continue
                    }
                    #expect(result.outcome == .queued, "the case exists: the resident gets a receipt, not an error")
                    #expect(result.fields["caseId"]?.hasPrefix("Z-") == true)
                    #expect(result.fields[ServiceResult.documentProblem] == problem)
                }
            }
        }

        /// A Retry-After date from a clock days off. Hummingbird stamps every answer with its own `Date`, so the injected skew
        /// cannot reach that header here; reading a date against the server's `Date` is covered in `RetryAfterTests`. What
        /// is checked end to end: the date is understood, and the wait stays within zero and an hour either way.
        @Test func aSkewedCentralClockNeitherParksNorHammersTheQueue() async throws {
            try await CentralPeer.misbehaving { admin in
                let central = try await Self.central()
                let call = ServiceRequest.callStaff(StaffCall(flow: nil, step: nil, language: .nl))
                _ = try await admin.setBehaviour(body: .json(.init(unavailableRetryAfter: 30, clockSkewSeconds: 3 * 86400)))
                    .noContent
                let ahead = await central.send(call, delivery: Self.delivery())
                #expect(ahead == .unavailable("central answered 503", retryAfter: RetryAfter.longest))
                _ = try await admin.setBehaviour(body: .json(.init(unavailableRetryAfter: 30, clockSkewSeconds: -3 * 86400)))
                    .noContent
                let behind = await central.send(call, delivery: Self.delivery())
                #expect(behind == .unavailable("central answered 503", retryAfter: .zero))
            }
        }

        @Test func anInvalidRequestIsRefusedForGood() async throws {
            let answer = await (try await Self.central()).send(Self.extract(bsn: "123456789"), delivery: Self.delivery())
            #expect(answer == .refused("Invalid extract request: bsn does not pass the 11-proef"))
        }

        @Test func pickupsAndStaffCalls() async throws {
            let central = try await Self.central()
            _ = try await CentralPeer.admin().seedPickups(
                body: .json([
                    .init(
                        code: "HW4T9RNE", documentKind: .drivingLicence, bsn: Specimen.nlBSN, birthDate: "650310",
                        surname: "DE BRUIJN")
                ])
            ).noContent
            #expect(
                await central.send(.lookupPickup(code: "HW4T9RNE"), delivery: Self.delivery())
                    == .answered(ServiceResult(.found, fields: ["documentKind": "drivingLicence"])))
            guard
                case .answered(let collected, _) = await central.send(
                    .collectPickup(code: "HW4T9RNE", identity: Self.identity), delivery: Self.delivery())
            else {
                Issue.record("collect was not answered")
                return
            }
            #expect(collected.outcome == .collected)
            #expect(
                await central.send(.lookupPickup(code: "HW4T9RNE"), delivery: Self.delivery())
                    == .answered(ServiceResult(.notFound)))
            let call = await central.send(
                .callStaff(StaffCall(flow: "pickup", step: "identify", language: .en)), delivery: Self.delivery())
            #expect(call == .answered(ServiceResult(.called)))
        }

        @Test func aBadCentralIsUnavailableWithOneLine() async throws {
            let admin = try await CentralPeer.admin()
            let central = try await Self.central(timeout: .seconds(1))
            let call = ServiceRequest.callStaff(StaffCall(flow: nil, step: nil, language: .nl))

            _ = try await admin.setBehaviour(body: .json(.init(unavailableRetryAfter: 7))).noContent
            #expect(
                await central.send(call, delivery: Self.delivery())
                    == .unavailable("central answered 503", retryAfter: .seconds(7)))

            _ = try await admin.setBehaviour(body: .json(.init(garbage: true))).noContent
            let garbage = await central.send(.lookupPickup(code: "HW4T9RNE"), delivery: Self.delivery())
            guard case .unavailable(let why, nil) = garbage else {
                Issue.record("garbage was taken as an answer: \(garbage)")
                return
            }
            #expect(why.hasPrefix("garbage from the central"))

            for behaviour in [Components.Schemas.Behaviour(dropConnection: true), .init(hang: true)] {
                _ = try await admin.setBehaviour(body: .json(behaviour)).noContent
                let answer = await central.send(call, delivery: Self.delivery())
                guard case .unavailable(let line, _) = answer else {
                    Issue.record("\(behaviour) gave \(answer)")
                    continue
                }
                #expect(!line.contains("\n"))
            }
            _ = try await admin.setBehaviour(body: .json(.init(oversized: true))).noContent
            let oversized = await central.send(.lookupPickup(code: "HW4T9RNE"), delivery: Self.delivery())
            #expect(oversized == .unavailable("the central's answer is larger than 4 MiB", retryAfter: nil))

            _ = try await admin.setBehaviour(body: .json(.init())).noContent
            #expect(await central.send(call, delivery: Self.delivery()) == .answered(ServiceResult(.called)))
        }

        @Test func aWrongTokenOrNoServerIsUnavailable() async throws {
            let wrong = try await Self.central(token: "wrong-token-wrong-token")
            let call = ServiceRequest.callStaff(StaffCall(flow: nil, step: nil, language: .nl))
            #expect(await wrong.send(call, delivery: Self.delivery()) == .unavailable("central answered 401", retryAfter: nil))
            let nobody = try HTTPCentral(url: URL(string: "http://127.0.0.1:9")!, kioskID: "k", token: "t", timeout: .seconds(1))
            guard case .unavailable(let line, nil) = await nobody.send(call, delivery: Self.delivery()) else {
                Issue.record("a closed port was not unavailable")
                return
            }
            #expect(line.hasPrefix("network:"))
        }
    }
}

/// https with a CA bundle of the kiosk's own: trusted with it, one clean line without it.
@Suite struct TLSTests {
    @Test func aCentralBehindTLSIsTrustedOnlyThroughTheConfiguredBundle() async throws {
        let dir = try Harness.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let openssl = try await Harness.run(
            "/usr/bin/env",
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir + "/key.pem", "-out",
                dir + "/cert.pem",
                "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ])
        #expect(openssl.status == 0, "openssl: \(openssl.stderr)")
        let central = try await CentralPeer.start(extra: ["--tls-cert", dir + "/cert.pem", "--tls-key", dir + "/key.pem"])
        #expect(central.url.scheme == "https")
        let call = ServiceRequest.callStaff(StaffCall(flow: nil, step: nil, language: .nl))
        let delivery = Delivery(reference: "TLB-TLS", idempotencyKey: UUID().uuidString)

        let trusted = try HTTPCentral(
            url: central.url, kioskID: "k", token: CentralPeer.kioskToken, timeout: .seconds(3), caBundle: dir + "/cert.pem")
        let answer = await trusted.send(call, delivery: delivery)
        #expect(answer == .answered(ServiceResult(.called)), "\(answer)")

        let system = try HTTPCentral(url: central.url, kioskID: "k", token: CentralPeer.kioskToken, timeout: .seconds(3))
        guard case .unavailable(let line, nil) = await system.send(call, delivery: delivery) else {
            Issue.record("a certificate no system CA signed was accepted")
            return
        }
        #expect(line.hasPrefix("TLS:") || line.hasPrefix("network:"), "\(line)")
        #expect(!line.contains("\n"))
        try await CentralPeer.stop(central)
    }
}
