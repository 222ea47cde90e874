import Foundation
import KioskCore
import KioskTesting
import Testing

@testable import Central

/// The in-process central answers like the real one: cases for complete requests, pickups only for their holder, one answer
/// per idempotency key, and `unavailable` when switched offline.
@Suite struct InProcessCentralTests {
    static let identity = Identity(mrz: try! MRZ(Specimen.nlPassport2035))

    let central: InProcessCentral

    init() throws {
        central = try InProcessCentral.shipped()
    }

    func send(_ request: ServiceRequest, key: String = UUID().uuidString) async -> ServiceResult {
        await central.send(request, delivery: Delivery(reference: "TLB-1", idempotencyKey: key)).result(reference: "TLB-1")
    }

    static func extract(bsn: String? = Specimen.nlBSN) -> ServiceRequest {
        .extractRequest(ExtractRequest(product: "standard", feeCents: 1440, bsn: bsn, identity: identity, language: .en))
    }

    @Test func anExtractRequestBecomesACaseWithItsDocument() async {
        let answer = await central.send(Self.extract(), delivery: Delivery(reference: "TLB-1", idempotencyKey: "k-000000000001"))
        guard case .answered(let result, let document?) = answer else {
            Issue.record("expected an answer with the extract, got \(answer)")
            return
        }
        #expect(result.outcome == .accepted)
        #expect(result.fields["caseId"] == "Z-2026001")
        #expect(result.fields["documentId"] == document.id)
        #expect(document.pdf.starts(with: Array("%PDF-".utf8)))
    }

    @Test func anInternationalExtractIsQueuedForTheBackOffice() async {
        let request = ServiceRequest.extractRequest(
            ExtractRequest(product: "international", feeCents: 1755, bsn: "123456782", identity: Self.identity, language: .nl))
        let result = await send(request)
        #expect(result.outcome == .queued)
        #expect(result.fields["documentId"] == nil)
    }

    @Test func theSameKeyGetsTheSameAnswerAndOneCase() async {
        let first = await send(Self.extract(), key: "same-key-0000000001")
        let again = await send(Self.extract(), key: "same-key-0000000001")
        #expect(first == again)
        #expect(await central.caseCount == 1)
    }

    @Test func anIncompleteRequestIsRejected() async {
        #expect(await send(Self.extract(bsn: nil)).outcome == .rejected)
    }

    @Test func aPickupGoesOnlyToItsHolderAndOnlyOnce() async {
        #expect(
            await send(.lookupPickup(code: "K7QM3XPA"))
                == ServiceResult(.found, fields: ["documentKind": "passport", "reference": "TLB-1"]))
        #expect(await send(.lookupPickup(code: "ZZZZZZZZ")).outcome == .notFound)
        // The attack from the last review: a made-up chip with the holder's surname and birth date, but not their BSN.
        var stranger = Self.identity
        stranger.personalNumber = "123456782"
        #expect(await send(.collectPickup(code: "K7QM3XPA", identity: stranger)).outcome == .mismatch)
        #expect(await send(.collectPickup(code: "K7QM3XPA", identity: nil)).outcome == .mismatch)
        let collected = await send(.collectPickup(code: "K7QM3XPA", identity: Self.identity))
        #expect(collected.outcome == .collected)
        #expect(collected.fields["ticket"] == "A001")
        #expect(await send(.lookupPickup(code: "K7QM3XPA")).outcome == .notFound)
    }

    @Test func fiveFailedHolderChecksLockTheCode() async {
        let foreign = Identity(mrz: try! MRZ(Specimen.td3ValidTo2034))
        var outcomes: [ServiceOutcome] = []
        for _ in 0..<6 { outcomes.append(await send(.collectPickup(code: "HW4T9RNE", identity: foreign)).outcome) }
        #expect(outcomes == [.mismatch, .mismatch, .mismatch, .mismatch, .locked, .locked])
        #expect(await send(.lookupPickup(code: "HW4T9RNE")).outcome == .locked)
        #expect(await send(.collectPickup(code: "HW4T9RNE", identity: Self.identity)).outcome == .locked)
    }

    @Test func offlineMeansUnavailableAndTheFlowGetsTheReference() async {
        await central.setReachable(false)
        let answer = await central.send(
            .callStaff(StaffCall(flow: "pickup", step: "code", language: .nl)),
            delivery: Delivery(reference: "TLB-7", idempotencyKey: "k"))
        #expect(answer == .unavailable("the in-process central is switched offline", retryAfter: nil))
        #expect(answer.result(reference: "TLB-7") == ServiceResult(.offline, fields: ["reference": "TLB-7"]))
        await central.setReachable(true)
        #expect(await send(.callStaff(StaffCall(flow: nil, step: nil, language: .en))).outcome == .called)
        #expect(await central.staffCalls.count == 1)
    }
}
