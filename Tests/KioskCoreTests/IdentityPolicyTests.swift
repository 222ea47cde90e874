import KioskTesting
import Testing

@testable import KioskCore

/// What the identify step accepts: the BSN from the chip, a typed BSN said to be typed, no BSN that differs from the
/// chip's, and documents within their validity (a pickup takes one expired up to a year).
@Suite struct IdentityPolicyTests {
    @Test func aDutchDocumentCarriesItsHoldersBSN() throws {
        #expect(Identity(mrz: try MRZ(Specimen.nlPassport2035)).bsn?.digits == Specimen.nlBSN)
        #expect(Identity(mrz: try MRZ(Specimen.nlID2031)).bsn?.digits == Specimen.nlBSN)
        #expect(Identity(mrz: try MRZ(Specimen.td3ValidTo2034)).bsn == nil, "a foreign document has none")
        #expect(Identity(mrz: try MRZ(Specimen.td3ValidTo2034)).personalNumber == "ZE184226B")
    }

    @Test func expiryIsCheckedOnTheDayOfTheRead() throws {
        let expired2024 = Identity(mrz: try MRZ(Specimen.nlPassport2014))
        #expect(!expired2024.isAcceptable(on: Kiosk.today, graceMonths: 0))
        #expect(!expired2024.isAcceptable(on: Kiosk.today, graceMonths: 12))
        #expect(expired2024.isAcceptable(on: CalendarDate(year: 2024, month: 3, day: 9)!, graceMonths: 0), "its last day")
        #expect(!expired2024.isAcceptable(on: CalendarDate(year: 2024, month: 3, day: 10)!, graceMonths: 0))
        #expect(expired2024.isAcceptable(on: CalendarDate(year: 2025, month: 3, day: 9)!, graceMonths: 12))
        #expect(!expired2024.isAcceptable(on: CalendarDate(year: 2025, month: 3, day: 10)!, graceMonths: 12))
        #expect(CalendarDate(year: 2024, month: 1, day: 31)!.adding(months: 1) == CalendarDate(year: 2024, month: 2, day: 29))
    }

    @Test func aForeignDocumentAsksForTheBSNAndTheRequestSaysItWasTyped() throws {
        var k = try Kiosk()
        k.beginExtract()
        try k.identifyWithPassport(Specimen.td3ValidTo2034)
        #expect(k.step == "bsn")
        #expect(k.screen.body.first?.contains("de gemeente controleert het") == true)
        k.enter("123456782")
        k.press(.next)
        guard case .extractRequest(let request) = try #require(k.serviceRequest) else {
            Issue.record("expected an extract request")
            return
        }
        #expect(request.bsn == "123456782")
        #expect(request.bsnSource == .typed)
    }

    @Test func anExpiredDocumentGetsNoExtractAndNothingIsKept() throws {
        var k = try Kiosk()
        k.beginExtract()
        try k.identifyWithPassport(Specimen.nlPassport2014)
        #expect(k.state.phase == .refused(.expired))
        #expect(k.screen.title == "Ga naar de balie")
        #expect(
            k.screen.body == [
                "Uw document is verlopen. Voor een uittreksel hebt u een geldig paspoort of een geldige identiteitskaart nodig. Aan de balie helpen we u verder."
            ])
        #expect(k.screen.buttons.map(\.action) == [.finish, .callStaff])
        #expect(k.state.session.identity == nil)
        #expect(k.serviceRequest == nil)
        k.press(.finish)
        #expect(k.state.place == .home)
        #expect(k.state.session.isEmpty)
    }

    @Test func aPickupTakesADocumentExpiredLessThanAYearAgo() throws {
        for (day, accepted) in [
            (CalendarDate(year: 2024, month: 9, day: 1)!, true), (CalendarDate(year: 2025, month: 3, day: 10)!, false),
        ] {
            var k = try Kiosk()
            k.press(.startFlow("pickup"))
            k.press(.next)
            k.enter("K7QM3XPA")
            k.send(.serviceResult(request: try #require(k.request), ServiceResult(.found, fields: ["documentKind": "passport"])))
            try k.identifyWithPassport(Specimen.nlPassport2014, on: day)
            if accepted {
                #expect(k.step == "confirm", "\(day)")
            } else {
                #expect(k.state.phase == .refused(.expired), "\(day)")
                #expect(k.screen.body.first?.hasPrefix("Uw document is meer dan een jaar verlopen") == true)
            }
        }
    }

    /// A flow that asks for the BSN before the chip (a municipality may order it so): a typed BSN that is not the chip's
    /// is refused before anything is sent or stored.
    static let bsnFirst = """
        id: bsn-first
        title: {nl: Test, en: Test}
        requires: [cardReader]
        steps:
          - id: bsn
            kind: input
            store: bsn
            validator: bsn
            label: {nl: BSN, en: BSN}
            text: {nl: Typ uw BSN., en: Type your BSN.}
            next: identify
          - id: identify
            kind: identify
            text: {nl: Uw document., en: Your document.}
            next: confirm
          - id: confirm
            kind: confirm
            text: {nl: Klopt dit?, en: Is this right?}
            summary: [bsn]
            next: submit
          - id: submit
            kind: submit
            text: {nl: Versturen., en: Sending.}
            service: extractRequest
            outcomes: {accepted: done, queued: done, rejected: done, offline: done}
          - id: done
            kind: done
            text: {nl: Klaar., en: Done.}
        """

    @Test func aTypedBSNThatIsNotTheChipsIsRefusedBeforeAnythingIsSent() throws {
        let loaded = FlowLoader.load([("bsn-first.yaml", Self.bsnFirst)])
        #expect(loaded.issues.isEmpty, "\(loaded.issues)")
        let runner = FlowRunner(flows: loaded.flows)
        var state = KioskState(language: .en, devices: [.cardReader: .online])
        _ = runner.handle(&state, .action(.startFlow("bsn-first")))
        _ = runner.handle(&state, .typed("123456782"))
        _ = runner.handle(&state, .action(.submitInput))
        _ = runner.handle(&state, .scanned(Specimen.nlPassport2035))
        let effects = runner.handle(&state, .cardInserted)
        guard case .readCard(let request, _) = try #require(effects.first) else {
            Issue.record("expected a card read")
            return
        }
        let after = runner.handle(
            &state, .cardRead(request: request, try Kiosk.genuine(Specimen.nlPassport2035), today: Kiosk.today))
        #expect(state.phase == .refused(.bsnMismatch))
        #expect(after.allSatisfy { if case .startTimer = $0 { true } else { false } }, "nothing is sent: \(after)")
        #expect(state.session.values["bsn"] == nil)
        #expect(state.session.identity == nil)
        #expect(runner.screen(for: state).body.first?.hasPrefix("The citizen service number does not belong") == true)

        // The same BSN as the chip's goes through.
        var good = KioskState(language: .en, devices: [.cardReader: .online])
        _ = runner.handle(&good, .action(.startFlow("bsn-first")))
        _ = runner.handle(&good, .typed(Specimen.nlBSN))
        _ = runner.handle(&good, .action(.submitInput))
        _ = runner.handle(&good, .scanned(Specimen.nlPassport2035))
        guard case .readCard(let read, _) = try #require(runner.handle(&good, .cardInserted).first) else { return }
        _ = runner.handle(
            &good, .cardRead(request: read, try Kiosk.genuine(Specimen.nlPassport2035), today: Kiosk.today))
        #expect(good.place == .step(flow: "bsn-first", step: "confirm"))
    }
}

/// Passive authentication in the flows: a document whose data is not proved the issuer's is refused, each way with its
/// own text, and nothing of it is kept.
@Suite struct PassiveAuthenticationPolicyTests {
    /// An extract request as far as a read of the 2035 passport that reports `evidence`.
    static func extractRead(_ evidence: ChipEvidence) throws -> Kiosk {
        var k = try Kiosk()
        k.beginExtract()
        k.send(.scanned(Specimen.nlPassport2035))
        k.send(.cardInserted)
        let identity = Identity(mrz: try MRZ(Specimen.nlPassport2035))
        k.send(.cardRead(request: try #require(k.request), .identity(identity, evidence), today: Kiosk.today))
        return k
    }

    @Test(arguments: [
        (ChipEvidence.Passive.dataAltered(dataGroup: 1), Refusal.dataAltered),
        (.invalid, .dataAltered), (.unknownIssuer, .unknownIssuer), (.notChecked, .unverified),
    ])
    func aDocumentNotProvedTheIssuersIsRefused(passive: ChipEvidence.Passive, refusal: Refusal) throws {
        let k = try Self.extractRead(ChipEvidence(passive: passive))
        #expect(k.state.phase == .refused(refusal))
        #expect(k.state.session.identity == nil)
        let flow = try #require(k.runner.flows.first { $0.id == "extract-request" })
        guard case .identify(let step) = try #require(flow.step("identify")).kind else { return }
        let worded = try #require(step.refusals[refusal], "the shipped flow words \(refusal) itself")
        #expect(k.screen.title == "Ga naar de balie")
        #expect(k.screen.body == [worded.nl])
    }

    @Test(arguments: [
        (ChipEvidence.AntiClone.failed, Refusal.cloneSuspected), (.notSupported, .unverified), (.notChecked, .unverified),
    ])
    func aChipThatDoesNotProveItselfIsRefused(antiClone: ChipEvidence.AntiClone, refusal: Refusal) throws {
        let k = try Self.extractRead(ChipEvidence(passive: .valid(country: "NLD"), antiClone: antiClone))
        #expect(k.state.phase == .refused(refusal))
        #expect(k.state.session.identity == nil)
    }

    @Test func aFlowMayNotRequireIt() throws {
        let text = """
            id: typed-check
            title: {nl: Test, en: Test}
            requires: [cardReader]
            steps:
              - id: identify
                kind: identify
                text: {nl: Document., en: Document.}
                requirePassiveAuthentication: false
                requireAntiClone: false
                next: done
              - id: done
                kind: done
                text: {nl: Klaar., en: Done.}
            """
        let loaded = FlowLoader.load([("typed-check.yaml", text)])
        #expect(loaded.issues.isEmpty, "\(loaded.issues)")
        let runner = FlowRunner(flows: loaded.flows)
        var state = KioskState(language: .en, devices: [.cardReader: .online])
        _ = runner.handle(&state, .action(.startFlow("typed-check")))
        _ = runner.handle(&state, .scanned(Specimen.nlPassport2035))
        guard case .readCard(let read, _) = try #require(runner.handle(&state, .cardInserted).first) else { return }
        _ = runner.handle(
            &state, .cardRead(request: read, .identity(Identity(mrz: try MRZ(Specimen.nlPassport2035))), today: Kiosk.today))
        #expect(state.place == .step(flow: "typed-check", step: "done"))
    }
}

/// Limits on pickups: a session gets three unknown codes, and a code the central locked sends the resident to the counter.
@Suite struct PickupLimitTests {
    @Test func threeUnknownCodesSendTheResidentToTheCounter() throws {
        var k = try Kiosk()
        k.press(.startFlow("pickup"))
        k.press(.next)
        for attempt in 1...3 {
            k.send(.scanned("K7QM3XPA"))
            k.send(.serviceResult(request: try #require(k.request), ServiceResult(.notFound)))
            if attempt < 3 {
                #expect(k.step == "not-found")
                k.press(.next)
            }
        }
        #expect(k.state.phase == .refused(.tooManyCodes))
        #expect(k.screen.body.first?.hasPrefix("We vinden geen document bij deze codes") == true)
        #expect(!k.screen.offers(.back))
        k.press(.finish)
        #expect(k.state.session.isEmpty)
    }

    @Test func aLockedCodeSendsTheResidentToTheCounterAtLookupOrCollect() throws {
        var k = try Kiosk()
        k.press(.startFlow("pickup"))
        k.press(.next)
        k.enter("K7QM3XPA")
        k.send(.serviceResult(request: try #require(k.request), ServiceResult(.locked)))
        #expect(k.state.phase == .refused(.pickupLocked))

        var later = try Kiosk()
        later.press(.startFlow("pickup"))
        later.press(.next)
        later.enter("K7QM3XPA")
        later.send(
            .serviceResult(request: try #require(later.request), ServiceResult(.found, fields: ["documentKind": "idCard"])))
        try later.identifyWithPassport()
        later.press(.next)
        later.send(.serviceResult(request: try #require(later.request), ServiceResult(.locked)))
        #expect(later.state.phase == .refused(.pickupLocked))
        #expect(later.screen.buttons.map(\.action) == [.finish, .callStaff])
    }
}

/// A chip that wants the card access number: the resident is asked for the six digits, and the read goes again with them.
@Suite struct CardAccessNumberTests {
    @Test func aChipThatAsksForTheCANGetsItTyped() throws {
        var k = try Kiosk()
        k.beginExtract()
        k.send(.scanned(Specimen.nlID2031))
        k.send(.cardInserted)
        let key = try MRZ(Specimen.nlID2031).accessKey
        k.send(.cardRead(request: try #require(k.request), .canRequired, today: Kiosk.today))
        #expect(k.state.phase == .identify(.typingCAN(key)))
        #expect(k.screen.input?.label == UIText.canLabel.nl)
        #expect(k.screen.noticeText == UIText.canNeeded.nl)
        k.enter("12345")
        #expect(k.screen.noticeText == UIText.badCAN.nl)
        for _ in 0..<5 { k.send(.erase) }
        k.enter("123456")
        #expect(k.effects.contains(.readCard(request: try #require(k.request), key.with(can: "123456"))))
        // A wrong CAN asks for it again, and counts as a failed identification.
        k.send(.cardRead(request: try #require(k.request), .accessDenied, today: Kiosk.today))
        #expect(k.state.phase == .identify(.typingCAN(key)))
        #expect(k.screen.noticeText == UIText.wrongCAN.nl)
        #expect(k.state.session.identifyFailures == 1)
        k.enter("654321")
        k.send(.cardRead(request: try #require(k.request), try Kiosk.genuine(Specimen.nlID2031), today: Kiosk.today))
        #expect(k.step == "confirm")
    }
}
