import KioskCore
import Testing

@testable import Central

/// The in-process central answers like the real one will: cases for complete requests, pickups only for their holder, and
/// `offline` with a kiosk reference when it cannot be reached.
@Suite struct InProcessCentralTests {
    static let identity = Identity(
        mrz: try! MRZ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"))

    func central() -> InProcessCentral { InProcessCentral(latency: .zero) }

    @Test func anExtractRequestBecomesACaseWithItsText() async {
        let request = ExtractRequest(
            product: "standard", feeCents: 1440, bsn: "123456782", identity: Self.identity, language: .en)
        let result = await central().perform(.extractRequest(request), offlineReference: "unused")
        #expect(result.outcome == .accepted)
        #expect(result.fields["caseId"] == "Z-2026001")
        #expect(result.fields["extractText"]?.contains("Name: Anna Maria Eriksson") == true)
        #expect(result.fields["extractText"]?.contains("Date of birth: 12-08-1974") == true)
    }

    @Test func anIncompleteRequestIsRejected() async {
        let request = ExtractRequest(product: "standard", feeCents: nil, bsn: nil, identity: Self.identity, language: .nl)
        #expect(await central().perform(.extractRequest(request), offlineReference: "x").outcome == .rejected)
    }

    @Test func aPickupGoesOnlyToItsHolderAndOnlyOnce() async {
        let central = central()
        #expect(
            await central.perform(.lookupPickup(code: "K7QM3XPA"), offlineReference: "x")
                == ServiceResult(.found, fields: ["documentKind": "passport"]))
        #expect(await central.perform(.lookupPickup(code: "ZZZZZZZZ"), offlineReference: "x").outcome == .notFound)
        var stranger = Self.identity
        stranger.birthDate = "800101"
        #expect(
            await central.perform(.collectPickup(code: "K7QM3XPA", identity: stranger), offlineReference: "x").outcome
                == .mismatch)
        #expect(
            await central.perform(.collectPickup(code: "K7QM3XPA", identity: nil), offlineReference: "x").outcome == .mismatch)
        let collected = await central.perform(.collectPickup(code: "K7QM3XPA", identity: Self.identity), offlineReference: "x")
        #expect(collected == ServiceResult(.collected, fields: ["counter": "3", "ticket": "A001"]))
        #expect(await central.perform(.lookupPickup(code: "K7QM3XPA"), offlineReference: "x").outcome == .notFound)
    }

    @Test func unreachableMeansOfflineWithAKioskReference() async {
        let central = central()
        await central.setReachable(false)
        let result = await central.perform(
            .callStaff(StaffCall(flow: "pickup", step: "code", language: .nl)), offlineReference: "TLB-7")
        #expect(result == ServiceResult(.offline, fields: ["reference": "TLB-7"]))
        await central.setReachable(true)
        #expect(
            await central.perform(.callStaff(StaffCall(flow: nil, step: nil, language: .en)), offlineReference: "x").outcome
                == .called)
        #expect(await central.staffCalls.count == 1)
    }
}
