import KioskTesting
import Testing

@testable import KioskCore

/// A kiosk in a test: the real flows from `Flows/`, the pure runner, and no devices or time; the test plays the daemon.
struct Kiosk {
    let runner: FlowRunner
    var state: KioskState
    var effects: [Effect] = []
    /// Plays a terminal that approves every payment at once, so that tests about other things walk past the pay step.
    var autoPay = true

    init(
        devices: [DeviceClass: DeviceStatus] = [
            .cardReader: .online, .printer: .online, .scanner: .online, .paymentTerminal: .online,
        ]
    ) throws {
        runner = FlowRunner(flows: try ShippedFlows.flows())
        state = KioskState(language: .nl, devices: devices)
    }

    /// The approval the auto-paying terminal gives.
    static func approval(_ order: PaymentOrder) -> PaymentResult {
        .approved(
            PaymentRecord(
                reference: "TLB-PAID0001", transactionID: "4101", terminalID: "T1", amountCents: order.amountCents,
                brand: "Maestro", time: "2026-11-28T12:00:00+01:00", day: "2026-11-28"),
            receipt: ["PINPAD", "Akkoord"])
    }

    var payment: (request: Int, order: PaymentOrder)? {
        effects.lazy.compactMap { if case .pay(let r, let o) = $0 { (r, o) } else { nil } }.first
    }

    var screen: Screen { runner.screen(for: state) }

    var step: String? {
        if case .step(_, let step) = state.place { return step }
        return nil
    }

    @discardableResult
    mutating func send(_ event: KioskEvent) -> [Effect] {
        effects = runner.handle(&state, event)
        if autoPay, let (request, order) = payment {
            effects += runner.handle(&state, .paid(request: request, Self.approval(order)))
        }
        return effects
    }

    mutating func press(_ action: Action, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(screen.offers(action), "screen '\(screen.title)' does not offer \(action)", sourceLocation: sourceLocation)
        send(.action(action))
    }

    mutating func enter(_ text: String) {
        send(.typed(text))
        send(.action(.submitInput))
    }

    /// The request number of the last effect that waits for an answer.
    var request: Int? {
        for effect in effects.reversed() {
            switch effect {
            case .readCard(let r, _), .callService(let r, _), .print(let r, _), .pay(let r, _): return r
            default: continue
            }
        }
        return nil
    }

    var serviceRequest: ServiceRequest? {
        effects.lazy.compactMap { if case .callService(_, let r) = $0 { r } else { nil } }.first
    }

    var printJob: PrintJob? {
        effects.lazy.compactMap { if case .print(_, let j) = $0 { j } else { nil } }.first
    }

    /// The day the tests' chips are read on.
    static let today = CalendarDate(year: 2026, month: 11, day: 28)!

    /// Starts an extract request and gets as far as the identify step.
    mutating func beginExtract(_ product: String = "standard") {
        press(.startFlow("extract-request"))
        press(.next)
        press(.option(product))
    }

    /// Scans a document (the Dutch specimen passport valid to 2035, by default) and lays it on the reader, then answers
    /// the read with its identity.
    mutating func identifyWithPassport(_ mrz: String = Specimen.nlPassport2035, on day: CalendarDate = today) throws {
        send(.scanned(mrz))
        send(.cardInserted)
        let read = try #require(request)
        #expect(effects.contains(.readCard(request: read, try MRZ(mrz).accessKey)))
        send(.cardRead(request: read, try Self.genuine(mrz), today: day))
    }

    /// A read of a genuine document: passive authentication valid under its issuer's CSCA.
    static func genuine(_ mrz: String) throws -> CardReadResult {
        let identity = Identity(mrz: try MRZ(mrz))
        return .identity(identity, ChipEvidence(passive: .valid(country: identity.issuer), antiClone: .proved))
    }
}

@Suite struct ExtractRequestFlowTests {
    @Test func happyPathPrintsTheExtract() throws {
        var k = try Kiosk()
        #expect(k.screen.buttons.map(\.action) == [.startFlow("extract-request"), .startFlow("pickup")])
        k.press(.startFlow("extract-request"))
        #expect(k.step == "welcome")
        #expect(k.effects.contains(.startTimer(token: k.state.timerToken, seconds: 60)))
        k.press(.next)
        #expect(k.screen.buttons.first?.label == "Standaard uittreksel — € 14,40")
        k.press(.option("standard"))
        #expect(k.step == "identify")
        try k.identifyWithPassport()
        #expect(k.step == "confirm", "a Dutch document's chip carries the BSN: the resident is not asked for it")
        let summary = Dictionary(uniqueKeysWithValues: k.screen.summary.map { ($0.label, $0.value) })
        #expect(
            summary == [
                "Product": "Standaard uittreksel", "Kosten": "€ 14,40", "Naam": "Willeke Liselotte De Bruijn",
                "BSN": "******990",
            ])
        k.press(.next)
        guard case .extractRequest(let request) = try #require(k.serviceRequest) else {
            Issue.record("expected an extract request")
            return
        }
        #expect(request.product == "standard")
        #expect(request.feeCents == 1440)
        #expect(request.bsn == Specimen.nlBSN)
        #expect(request.bsnSource == .chip)
        #expect(request.identity?.surname == "DE BRUIJN")
        #expect(k.screen.busy)
        #expect(!k.screen.offers(.back))
        k.send(
            .serviceResult(
                request: try #require(k.request), ServiceResult(.accepted, fields: ["caseId": "Z-1", "documentId": "d-1"])))
        #expect(k.step == "print")
        #expect(k.printJob?.document == .extract)
        #expect(k.printJob?.documentID == "d-1")
        k.send(.printed(request: try #require(k.request), .printed))
        #expect(k.step == "done")
        #expect(k.screen.body.first?.contains("Z-1") == true)
        #expect(k.screen.keyFacts == [Screen.SummaryLine(label: "Zaaknummer", value: "Z-1")])
        k.press(.finish)
        #expect(k.state.place == .home)
        #expect(k.effects.contains(.sessionEnded(.finished)))
        #expect(k.state.session.isEmpty)
    }

    @Test func typedDocumentDetailsThenCardOnTheReader() throws {
        var k = try Kiosk()
        k.press(.startFlow("extract-request"))
        k.press(.next)
        k.press(.option("international"))
        k.enter("L898902C3")
        k.enter("12-08-1974")
        k.enter("15-04-2034")
        #expect(k.state.phase == .identify(.waitingForCard(try MRZ(Specimen.td3ValidTo2034).accessKey)))
        #expect(k.screen.body.last == UIText.placeDocument.nl)
        k.send(.cardInserted)
        #expect(k.effects.contains { if case .readCard = $0 { true } else { false } })
    }

    @Test func offlineAnswerPrintsAReceiptAndShowsTheBanner() throws {
        var k = try Kiosk()
        k.beginExtract("history")
        try k.identifyWithPassport()
        k.press(.next)
        k.send(.serviceResult(request: try #require(k.request), ServiceResult(.offline, fields: ["reference": "TLB-7Q2X"])))
        #expect(k.step == "receipt")
        #expect(k.screen.banner == UIText.offlineBanner.nl)
        #expect(k.printJob?.lines.contains("Referentie: TLB-7Q2X") == true)
        #expect(k.printJob?.lines.contains { $0.contains("123456782") || $0.contains("ERIKSSON") } == false)
        k.send(.printed(request: try #require(k.request), .printed))
        #expect(k.step == "done-offline")
        k.send(.centralReachable(true))
        #expect(k.screen.banner == nil)
    }

    @Test func invalidBSNKeepsTheResidentOnTheStepWithOneLine() throws {
        var k = try Kiosk()
        k.beginExtract()
        try k.identifyWithPassport(Specimen.td3ValidTo2034)
        k.enter("123456789")
        #expect(k.step == "bsn")
        #expect(k.screen.noticeText == UIText.bsnCheck.nl)
        #expect(k.screen.input?.value == "123456789")
        for _ in 0..<9 { k.send(.erase) }
        k.enter("12345")
        #expect(k.screen.noticeText == UIText.bsnLength.nl)
    }

    @Test func backWalksTheHistoryAndLeavesAtTheFirstStep() throws {
        var k = try Kiosk()
        k.beginExtract()
        try k.identifyWithPassport(Specimen.td3ValidTo2034)
        k.enter("123456782")
        #expect(k.step == "confirm")
        k.press(.back)
        #expect(k.step == "bsn")
        #expect(k.screen.input?.value == "123456782")
        k.press(.back)
        #expect(k.step == "identify")
        k.press(.back)
        #expect(k.step == "product")
        k.press(.back)
        k.press(.back)
        #expect(k.state.place == .home)
        #expect(k.state.session.isEmpty)
    }

    @Test func threeFailedReadsOfferStaff() throws {
        var k = try Kiosk()
        k.beginExtract()
        k.send(.cardInserted)
        for attempt in 1...3 {
            k.send(.scanned(MRZTests.td3))
            k.send(.cardRead(request: try #require(k.request), .accessDenied, today: Kiosk.today))
            if attempt < 3 { #expect(k.screen.noticeText == UIText.accessDenied.nl) }
        }
        #expect(k.state.phase == .tooManyFailures)
        #expect(k.screen.buttons.map(\.action) == [.callStaff])
    }

    @Test func cardPulledMidReadAsksToPutItBack() throws {
        var k = try Kiosk()
        k.beginExtract()
        k.send(.cardInserted)
        k.send(.scanned(MRZTests.td3))
        let first = try #require(k.request)
        k.send(.cardRemoved)
        k.send(.cardRead(request: first, .cardRemoved, today: Kiosk.today))
        #expect(k.screen.noticeText == UIText.cardRemoved.nl)
        k.send(.cardInserted)
        #expect(try #require(k.request) != first)
        k.send(.cardRead(request: first, try Kiosk.genuine(MRZTests.td3), today: Kiosk.today))
        #expect(k.step == "identify", "an answer to the abandoned read is ignored")
    }

    @Test func aFailedPrintCanBeRetried() throws {
        var k = try Self.atPrint()
        k.send(.printed(request: try #require(k.request), .failed))
        #expect(k.screen.noticeText == UIText.printFailed(reference: "TLB-AB").nl, "the resident can leave with the reference")
        #expect(k.screen.offers(.retry))
        #expect(k.screen.offers(.callStaff))
        k.press(.retry)
        #expect(k.printJob?.document == .extract)
    }

    /// The kiosk at the print step, after the central accepted the request with reference TLB-AB.
    static func atPrint() throws -> Kiosk {
        var k = try Kiosk()
        k.beginExtract()
        try k.identifyWithPassport()
        k.press(.next)
        k.send(
            .serviceResult(
                request: try #require(k.request), ServiceResult(.accepted, fields: ["caseId": "Z-2", "reference": "TLB-AB"])))
        return k
    }

    @Test func noRetryWhileThePrinterIsBlocked() throws {
        var k = try Self.atPrint()
        let printing = try #require(k.request)
        k.send(.deviceStatus(.printer, DeviceStatus(state: .offline, detail: "de CUPS-wachtrij kiosk is gestopt")))
        k.send(.printed(request: printing, .failed))
        #expect(!k.screen.offers(.retry))
        #expect(k.screen.offers(.finish))
        #expect(k.screen.offers(.callStaff))
        k.send(.action(.retry))
        #expect(k.state.phase == .failed, "nothing sent into the stopped queue")
        k.send(.deviceStatus(.printer, DeviceStatus(state: .online, paper: .full)))
        #expect(k.screen.offers(.retry))
        k.press(.retry)
        #expect(k.printJob?.document == .extract)
    }

    /// Unknown is neither printed nor failed: the reference and the counter, and no retry, which could print it twice.
    @Test func anUnconfirmedPrintOffersNoRetry() throws {
        var k = try Self.atPrint()
        k.send(.printed(request: try #require(k.request), .unknown))
        #expect(k.state.phase == .unconfirmed)
        #expect(k.screen.noticeText == UIText.printUnconfirmed(reference: "TLB-AB").nl)
        #expect(k.screen.noticeText?.contains("TLB-AB") == true)
        #expect(!k.screen.offers(.retry))
        #expect(!k.screen.offers(.back))
        #expect(k.screen.offers(.callStaff))
        #expect(k.screen.offers(.finish))
        k.send(.action(.retry))
        #expect(k.state.phase == .unconfirmed)
    }

    /// Only a reference shaped like the kiosk's goes into the fault's code and text: a central could send anything.
    @Test func anUnconfirmedPrintsFaultCarriesOnlyAPlainReference() {
        #expect(Fault.printUnconfirmed("bon", reference: "TLB-QR7X2M4P").code == "job-unconfirmed-TLB-QR7X2M4P")
        for hostile in ["999999990", "TLB-AB\nX", "TLB-", "tlb-qr7x2m4p", "A-B-C", String(repeating: "X", count: 80), ""] {
            let fault = Fault.printUnconfirmed("bon", reference: hostile)
            #expect(fault.code == "job-unconfirmed" && !fault.summary.contains(hostile.isEmpty ? "referentie" : hostile))
        }
    }

    /// No warning covers a device wait, and none covers a failure: the reference stays in view for the whole warn and
    /// reset time, then the session ends in one go.
    @Test func theInactivityWarningNeverCoversAWaitOrAFailure() throws {
        var k = try Self.atPrint()
        let printing = try #require(k.request)
        for _ in 0..<5 {
            k.send(.timer(k.state.timerToken))
            #expect(k.screen.warning == nil && k.state.phase == .waiting(request: printing))
        }
        k.send(.printed(request: printing, .failed))
        #expect(k.effects.contains(.startTimer(token: k.state.timerToken, seconds: 60)), "the failure gets its full time")
        k.send(.timer(k.state.timerToken))
        #expect(k.screen.warning == nil)
        #expect(k.screen.noticeText == UIText.printFailed(reference: "TLB-AB").nl)
        #expect(k.effects == [.startTimer(token: k.state.timerToken, seconds: 20)])
        k.send(.timer(k.state.timerToken))
        #expect(k.state.place == .home && k.effects.contains(.sessionEnded(.timedOut)))
    }
}

@Suite struct PickupFlowTests {
    @Test func happyPathPrintsATicket() throws {
        var k = try Kiosk()
        k.press(.startFlow("pickup"))
        k.press(.next)
        // 0 is not in the code's alphabet, so it has no key, and typed on a keyboard it is not taken.
        k.enter("K7QM-3XP0")
        #expect(k.state.input == "K7QM-3XP")
        #expect(k.screen.noticeText == UIText.pickupLength.nl)
        k.enter("A")
        #expect(k.serviceRequest == .lookupPickup(code: "K7QM3XPA"))
        k.send(.serviceResult(request: try #require(k.request), ServiceResult(.found, fields: ["documentKind": "passport"])))
        #expect(k.step == "identify")
        #expect(k.screen.body.first?.contains("Paspoort") == true)
        try k.identifyWithPassport()
        #expect(k.screen.summary.map(\.value) == ["Paspoort", "Willeke Liselotte De Bruijn"])
        k.press(.next)
        guard case .collectPickup(let code, let identity) = try #require(k.serviceRequest) else {
            Issue.record("expected collectPickup")
            return
        }
        #expect(code == "K7QM3XPA")
        #expect(identity?.documentNumber == "SPECI2025")
        k.send(
            .serviceResult(
                request: try #require(k.request), ServiceResult(.collected, fields: ["counter": "4", "ticket": "A012"])))
        #expect(k.printJob?.lines == ["Volgnummer: A012", "Balie: 4", "Af te halen: Paspoort"])
        k.send(.printed(request: try #require(k.request), .printed))
        #expect(k.screen.body.first == "Neem het afhaalbewijs mee naar balie 4. Uw volgnummer is A012.")
        #expect(
            k.screen.keyFacts == [
                Screen.SummaryLine(label: "Balie", value: "4"), Screen.SummaryLine(label: "Uw volgnummer", value: "A012"),
            ])
    }

    @Test func unknownCodeLoopsBackToTheCode() throws {
        var k = try Kiosk()
        k.press(.startFlow("pickup"))
        k.press(.next)
        k.send(.scanned("K7QM3XPA"))
        k.send(.serviceResult(request: try #require(k.request), ServiceResult(.notFound)))
        #expect(k.step == "not-found")
        // Back from "not found" leads to the code, empty (looking a code up sends nothing, so it may be done again).
        k.press(.back)
        #expect(k.step == "code")
        #expect(k.state.input == "")
        k.send(.scanned("K7QM3XPA"))
        k.send(.serviceResult(request: try #require(k.request), ServiceResult(.notFound)))
        k.press(.next)
        #expect(k.step == "code")
        // The wrong code is gone: typing starts afresh rather than after it.
        #expect(k.state.input == "")
        #expect(k.state.session.values["pickupCode"] == nil)
        k.send(.typed("HW4T"))
        #expect(k.state.input == "HW4T")
        // Back leads where it led the first time, not round the loop to "not found".
        k.press(.back)
        #expect(k.step == "welcome")
    }

    /// The step counter counts the screens the resident acts on, one by one: not the kiosk's own waiting screens.
    @Test func theStepCounterCountsTheResidentsOwnSteps() throws {
        var k = try Kiosk()
        k.press(.startFlow("pickup"))
        var seen = [k.screen.progress]
        k.press(.next)
        seen.append(k.screen.progress)
        k.send(.scanned("K7QM3XPA"))
        #expect(k.screen.progress == nil, "looking the code up is the kiosk's step")
        k.send(.serviceResult(request: try #require(k.request), ServiceResult(.found, fields: ["documentKind": "passport"])))
        seen.append(k.screen.progress)
        try k.identifyWithPassport()
        seen.append(k.screen.progress)
        #expect(seen == ["Stap 1 van 5", "Stap 2 van 5", "Stap 3 van 5", "Stap 4 van 5"])
        #expect(k.screen.buttons.map(\.label) == ["Ja, dit is mijn document"])
    }
}

@Suite struct SessionTests {
    @Test func stopWipesEverything() throws {
        var k = try Kiosk()
        k.beginExtract()
        k.press(.stop)
        #expect(k.state.place == .home)
        #expect(k.state.session.isEmpty)
        #expect(k.effects.contains(.sessionEnded(.stopped)))
        #expect(k.effects.contains(.cancelTimer))
    }

    @Test func inactivityWarnsThenWipes() throws {
        var k = try Kiosk()
        k.press(.startFlow("pickup"))
        k.press(.next)
        k.send(.typed("K7QM"))
        let token = k.state.timerToken
        #expect(k.effects.contains(.startTimer(token: token, seconds: 60)))
        k.send(.timer(token - 1))
        #expect(k.screen.warning == nil, "a stale timer is ignored")
        k.send(.timer(token))
        #expect(k.screen.warning == UIText.warning.nl)
        #expect(k.effects == [.startTimer(token: k.state.timerToken, seconds: 20)])
        k.press(.keepGoing)
        #expect(k.screen.warning == nil)
        #expect(k.state.input == "K7QM")
        k.send(.timer(k.state.timerToken))
        k.send(.timer(k.state.timerToken))
        #expect(k.state.place == .home)
        #expect(k.state.session.isEmpty)
        #expect(k.state.input == "")
        #expect(k.effects.contains(.sessionEnded(.timedOut)))
    }

    @Test func doneScreensGoHomeWithoutAWarning() throws {
        var k = try Kiosk()
        k.press(.callStaff)
        k.send(.serviceResult(request: try #require(k.request), ServiceResult(.called)))
        #expect(k.step == "coming")
        k.send(.timer(k.state.timerToken))
        #expect(k.state.place == .home)
    }

    @Test func languageSwitchKeepsThePlaceAndResetsForTheNextResident() throws {
        var k = try Kiosk()
        #expect(k.screen.title == "Welkom bij de Stadswinkel")
        k.press(.language)
        #expect(k.screen.title == "Welcome to the city office")
        k.press(.startFlow("pickup"))
        k.press(.next)
        k.send(.typed("K7QM"))
        k.press(.language)
        #expect(k.step == "code")
        #expect(k.screen.input == Screen.InputField(label: "Afhaalcode", value: "K7QM", keyboard: .pickupCode))
        k.press(.language)
        #expect(k.screen.input?.label == "Pickup code")
        k.press(.stop)
        #expect(k.state.language == .nl)
    }

    @Test func callStaffFromAnyStepSendsOnlyWhereTheResidentWas() throws {
        var k = try Kiosk()
        k.beginExtract()
        k.press(.callStaff)
        #expect(k.effects.contains(.sessionEnded(.handedToStaff)))
        #expect(k.serviceRequest == .callStaff(StaffCall(flow: "extract-request", step: "identify", language: .nl)))
        #expect(k.state.session.values.isEmpty)
        #expect(k.state.session.identity == nil)
        #expect(!k.screen.offers(.callStaff))
        k.send(.serviceResult(request: try #require(k.request), ServiceResult(.offline)))
        #expect(k.step == "walk-over")
    }

    @Test func aBlockingPrinterFaultHidesFlowsAndThenTheKioskIsOutOfOrder() throws {
        var k = try Kiosk()
        k.send(.deviceStatus(.printer, DeviceStatus(state: .online, paper: .low)))
        #expect(k.screen.buttons.count == 2, "low paper still prints")
        k.send(.deviceStatus(.printer, DeviceStatus(state: .online, paper: .out)))
        #expect(k.screen.title == "Buiten gebruik")
        #expect(k.screen.buttons.isEmpty)
        #expect(k.screen.offers(.callStaff))
        k.send(.action(.startFlow("pickup")))
        #expect(k.state.place == .home, "a hidden flow cannot be started by a forged action")
        k.send(.deviceStatus(.printer, .online))
        #expect(k.screen.buttons.count == 2)
    }

    /// Flows that cannot finish are not offered: nobody goes through every step to hear so at the end.
    @Test func aFullDiskOrAnUnreachableCentralHidesTheFlowsThatNeedThem() throws {
        var k = try Kiosk()
        #expect(k.screen.buttons.map(\.action) == [.startFlow("extract-request"), .startFlow("pickup")])
        k.send(.storage(canStore: false))
        #expect(k.screen.title == "Buiten gebruik", "both store a request")
        #expect(k.screen.offers(.callStaff), "calling staff stays")
        k.send(.storage(canStore: true))
        // Offline, an extract is still taken (a receipt, sent later); a pickup needs the central's answer at once.
        k.send(.centralReachable(false))
        #expect(k.screen.buttons.map(\.action) == [.startFlow("extract-request")])
        k.send(.action(.startFlow("pickup")))
        #expect(k.state.place == .home)
        k.send(.centralReachable(true))
        // A store that failed hides them at once, until the daemon sees room again.
        k.beginExtract()
        try k.identifyWithPassport()
        k.press(.next)
        let request = try #require(k.request)
        k.send(.serviceResult(request: request, ServiceResult(.notTaken)))
        #expect(!k.state.canStore)
        k.press(.stop)
        #expect(k.screen.title == "Buiten gebruik")
    }

    @Test func aMissingDeviceCountsAsBlocking() throws {
        var k = try Kiosk(devices: [.printer: .online])
        #expect(k.runner.isOutOfOrder(k.state))
        k.send(.deviceStatus(.cardReader, .online))
        #expect(!k.runner.isOutOfOrder(k.state))
    }

    @Test func garbageIsIgnored() throws {
        var k = try Kiosk()
        k.send(.typed("\u{1b}[999;999Hxx"))
        #expect(k.state.input == "")
        k.send(.action(.finish))
        k.send(.action(.option("standard")))
        k.send(.serviceResult(request: 42, ServiceResult(.accepted)))
        k.send(.printed(request: 7, .printed))
        k.send(.cardRead(request: 3, .accessDenied, today: Kiosk.today))
        #expect(k.state.place == .home)
        k.press(.startFlow("pickup"))
        k.press(.next)
        k.send(.typed("K7\u{0}\u{7f}QM\u{1b}[A;\n" + String(repeating: "Z", count: 500)))
        #expect(k.state.input == "K7QMAZZZZ", "only the code's alphabet and dash, and at most nine")
        #expect(k.state.description == "KioskState(pickup/code, ready)")
    }

    @Test func reduceIsTheSameAsHandle() throws {
        let k = try Kiosk()
        let (next, effects) = k.runner.reduce(k.state, .action(.startFlow("pickup")))
        #expect(next.place == .step(flow: "pickup", step: "welcome"))
        #expect(effects == [.startTimer(token: 1, seconds: 60)])
    }
}

/// What every resident flow must do the same way, checked on both.
@Suite struct EveryFlowTests {
    static let flows = ["extract-request", "pickup"]

    @Test(arguments: flows) func backFromTheSecondStepAndFromTheFirst(_ flow: String) throws {
        var k = try Kiosk()
        k.press(.startFlow(flow))
        k.press(.next)
        k.press(.back)
        #expect(k.step == "welcome")
        k.press(.back)
        #expect(k.state.place == .home)
    }

    @Test(arguments: flows) func stopAndInactivityWipeTheSession(_ flow: String) throws {
        var k = try Kiosk()
        k.press(.startFlow(flow))
        k.press(.next)
        k.send(.typed("ABC"))
        k.press(.stop)
        #expect(k.state.place == .home)
        #expect(k.state.input.isEmpty)
        k.press(.startFlow(flow))
        k.send(.timer(k.state.timerToken))
        #expect(k.screen.warning != nil)
        k.send(.timer(k.state.timerToken))
        #expect(k.state.place == .home)
        #expect(k.effects.contains(.sessionEnded(.timedOut)))
    }

    /// Speech mode: the button on every screen, the headset's jack, the keypad's repeat and volume keys; the volume is the
    /// resident's and goes back at the end of the visit, and speech stays on only while a headset is in.
    @Test func speechModeFollowsTheButtonTheHeadsetAndTheVisit() throws {
        var k = try Kiosk()
        #expect(!k.screen.speech.on)
        #expect(k.screen.chrome.contains(Screen.Button(action: .readAloud, label: "Voorlezen")), "on the home screen too")
        k.press(.readAloud)
        #expect(k.screen.speech.on)
        #expect(k.screen.chrome.contains(Screen.Button(action: .readAloud, label: "Niet voorlezen")))
        k.press(.startFlow("extract-request"))
        k.send(.speech(.louder))
        k.send(.speech(.louder))
        #expect(k.screen.speech.volume == SpeechMode.defaultVolume + 2)
        for _ in 0..<20 { k.send(.speech(.softer)) }
        #expect(k.screen.speech.volume == SpeechMode.volumes.lowerBound)
        let repeats = k.screen.speech.repeats
        k.send(.speech(.repeatScreen))
        #expect(k.screen.speech.repeats == repeats + 1, "the same screen, said again")
        k.press(.callStaff)
        #expect(k.screen.speech.on && k.screen.speech.volume == 1, "the same resident, waiting for staff")
        k.press(.stop)
        #expect(!k.screen.speech.on && k.screen.speech.volume == SpeechMode.defaultVolume, "the next visit starts afresh")

        k.send(.headset(plugged: true))
        #expect(k.screen.speech.on && k.screen.speech.headset)
        k.press(.startFlow("extract-request"))
        k.press(.stop)
        #expect(k.screen.speech.on, "a headset still in keeps speech on")
        k.send(.headset(plugged: false))
        #expect(!k.screen.speech.on && !k.screen.speech.headset, "pulled: silent, and nothing private over the loudspeaker")
        k.send(.speech(.repeatScreen))
        #expect(k.screen.speech.on, "the keypad's repeat key starts speech too")
    }

    @Test(arguments: flows) func languageAndCallStaffOnEveryStepScreen(_ flow: String) throws {
        var k = try Kiosk()
        k.press(.startFlow(flow))
        #expect(k.screen.chrome.map(\.action) == [.back, .language, .readAloud, .callStaff, .stop])
        let dutch = k.screen.body
        k.press(.language)
        #expect(k.screen.body != dutch)
        #expect(k.screen.chrome.map(\.label) == ["Back", "Nederlands", "Read aloud", "Call staff", "Stop"])
        k.press(.callStaff)
        #expect(k.serviceRequest == .callStaff(StaffCall(flow: flow, step: "welcome", language: .en)))
        #expect(k.state.language == .en, "the resident keeps their language while waiting for staff")
    }

    @Test(arguments: flows) func aMissingCardReaderHidesTheFlow(_ flow: String) throws {
        var k = try Kiosk()
        k.send(.deviceStatus(.cardReader, .noDevice))
        #expect(!k.screen.offers(.startFlow(flow)))
    }
}

@Suite struct NotTakenTests {
    @Test func aRequestThatCouldNotBeStoredIsNeverCalledReceived() throws {
        var k = try Kiosk()
        k.beginExtract()
        try k.identifyWithPassport()
        k.press(.next)
        k.send(.serviceResult(request: try #require(k.request), ServiceResult(.notTaken)))
        #expect(k.step == "submit")
        #expect(k.screen.noticeText == UIText.notTaken.nl)
        #expect(k.screen.buttons.map(\.action) == [.callStaff])
        #expect(!k.screen.body.joined().contains("bewaard"))
    }
}
