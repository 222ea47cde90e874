import CentralAPI
import Foundation
import KioskTesting
import Pinpad
import Testing

/// Paid extracts through kioskd, with kiosk-pinpad (the OPI terminal simulator) and kiosk-central as real processes: paid
/// and printed with the terminal's receipt, declined and tried again, refused by the central and reversed, a kill -9 in the
/// middle of a payment settled at the next start, and a terminal that goes away.
@Suite(.serialized) struct PaymentEndToEndTests {
    struct Paid {
        let kiosk: RunningKiosk
        let pinpad: RunningPinpad
        let central: RunningCentral
    }

    /// kioskd with the opi driver to a fresh kiosk-pinpad, waiting until the terminal is online.
    static func start(
        central given: RunningCentral? = nil, reusing: String? = nil, pinpad given2: RunningPinpad? = nil,
        devicePort given3: Int? = nil
    ) async throws -> Paid {
        let central: RunningCentral
        if let given { central = given } else { central = try await CentralPeer.start() }
        let devicePort = try given3 ?? Harness.freePort()
        let pinpad: RunningPinpad
        if let given2 { pinpad = given2 } else { pinpad = try await PinpadPeer.start(devicePort: devicePort) }
        let kiosk = try await RunningKiosk(
            reusing: reusing, central: central, devices: ["sim-card-reader", "sim-printer", "sim-scanner", "test-pinpad"],
            extraProfiles: [PinpadPeer.profile(id: "test-pinpad", pinpad, devicePort: devicePort)])
        try await Harness.eventually("the terminal online") { try await terminalState(kiosk) == "online" }
        return Paid(kiosk: kiosk, pinpad: pinpad, central: central)
    }

    static func terminalState(_ kiosk: RunningKiosk) async throws -> String? {
        let out = try await kiosk.ctl("status", "--json")
        let object = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any]
        let devices = object?["devices"] as? [[String: Any]] ?? []
        let terminal = devices.first { $0["id"] as? String == "test-pinpad" }
        return (terminal?["status"] as? [String: Any])?["state"] as? String
    }

    static func phase(_ kiosk: RunningKiosk) async throws -> String? {
        let out = try await kiosk.ctl("status", "--json")
        let object = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any]
        return object?["phase"] as? String
    }

    static func cases(_ central: RunningCentral) async throws -> [Components.Schemas.CaseSummary] {
        try await CentralPeer.admin(of: central).listCases().ok.body.json
    }

    static func printed(_ kiosk: RunningKiosk) async throws -> Int {
        let out = try await kiosk.ctl("status", "--json")
        let object = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any]
        let devices = object?["devices"] as? [[String: Any]] ?? []
        let printer = devices.first { $0["deviceClass"] as? String == "printer" }
        return (printer?["counters"] as? [String: Int])?["jobsPrinted"] ?? 0
    }

    @Test func aPaidExtractIsPrintedWithTheTerminalsReceipt() async throws {
        let paid = try await Self.start()
        try await paid.kiosk.requestExtract(product: "standard")
        try await Harness.eventually("done") { try await paid.kiosk.step() == "done" }
        let cases = try await Self.cases(paid.central)
        let payment = try #require(cases.first?.payment, "the case carries the payment")
        #expect(cases.count == 1)
        #expect(payment.amountCents == 1440 && payment.brand == "Maestro" && payment.reference == cases.first?.reference)
        let books = try await paid.pinpad.state()
        #expect(books.transactions.map(\.stan) == [payment.transactionId])
        #expect(books.refusals.isEmpty, "kiosk-pinpad refused: \(books.refusals)")
        #expect(try await Self.printed(paid.kiosk) == 2, "the extract, then the terminal's receipt")
        #expect(paid.kiosk.log.contains("payment → approved"))
        for secret in [PinpadTerminal.testPAN, "67310123", Specimen.nlBSN] {
            #expect(!paid.kiosk.log.contains(secret), "the log holds no card or personal number")
        }
        #expect(try await paid.kiosk.stop() == 0)
    }

    @Test func aDeclinedPaymentMakesNoCaseAndCanBeTriedAgain() async throws {
        let paid = try await Self.start()
        try await paid.pinpad.set(PinpadSettings(next: .decline, times: 1))
        try await paid.kiosk.requestExtract(product: "international")
        try await Harness.eventually("the declined screen") { try await Self.phase(paid.kiosk) == "payment-declined" }
        #expect(try await Self.cases(paid.central).isEmpty, "a declined payment makes no case")
        let screen = try await paid.kiosk.ctl("status")
        #expect(screen.status == 0)
        _ = try await paid.kiosk.ctl("press", "retry")
        try await Harness.eventually("done-queued") { try await paid.kiosk.step() == "done-queued" }
        let cases = try await Self.cases(paid.central)
        #expect(cases.count == 1 && cases.first?.payment?.amountCents == 1755)
        #expect(try await paid.pinpad.state().transactions.count == 1, "one charge")
        #expect(try await paid.kiosk.stop() == 0)
    }

    @Test func aPaidRequestTheCentralRefusesIsReversed() async throws {
        let paid = try await Self.start()
        let admin = try await CentralPeer.admin(of: paid.central)
        _ = try await admin.setBehaviour(body: .json(.init(refuse: true, pathPrefix: "/v1/extract-requests"))).noContent
        try await paid.kiosk.requestExtract(product: "standard")
        try await Harness.eventually("the refusal") { try await paid.kiosk.step() == "rejected" }
        try await Harness.eventually("the reversal") {
            try await paid.pinpad.state().transactions.first?.reversed == true
        }
        try await Harness.eventually("staff told") {
            try await paid.kiosk.ctl("status").stdout.contains("payment-reversed-")
        }
        #expect(try await paid.pinpad.state().openCents == 0)
        #expect(try await paid.kiosk.stop() == 0)
    }

    @Test func aKillMidPaymentIsSettledAtTheNextStartWithOneCharge() async throws {
        let central = try await CentralPeer.start()
        let devicePort = try Harness.freePort()
        let pinpad = try await PinpadPeer.start(devicePort: devicePort)
        let first = try await Self.start(central: central, pinpad: pinpad, devicePort: devicePort)
        // The terminal approves and holds its answer: the kiosk dies before it hears that the card was charged.
        try await pinpad.set(PinpadSettings(next: .hold, times: 1))
        try await first.kiosk.requestExtract(product: "international")
        try await Harness.eventually("the charge") { try await pinpad.state().transactions.count == 1 }
        try await first.kiosk.crash()
        #expect(try await Self.cases(central).isEmpty)

        let second = try await Self.start(central: central, reusing: first.kiosk.dir, pinpad: pinpad, devicePort: devicePort)
        try await Harness.eventually("the paid request delivered after the restart", seconds: 20) {
            try await Self.cases(central).count == 1
        }
        let cases = try await Self.cases(central)
        #expect(cases.first?.payment?.transactionId == (try await pinpad.state().transactions.first?.stan))
        #expect(second.kiosk.log.contains("found approved after a restart"))
        #expect(try await pinpad.state().transactions.count == 1, "charged once")
        #expect(try await second.kiosk.stop() == 0)
    }

    @Test func aTerminalThatGoesAwayHidesOnlyThePaidFlows() async throws {
        let paid = try await Self.start()
        PinpadPeer.kill9(paid.pinpad)
        try await Harness.eventually("the terminal offline") { try await Self.terminalState(paid.kiosk) == "offline" }
        let out = try await paid.kiosk.ctl("status", "--json")
        let object = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any]
        let flows = Dictionary(
            uniqueKeysWithValues: (object?["flows"] as? [[String: Any]] ?? []).map {
                ($0["id"] as? String ?? "", $0["available"] as? Bool ?? false)
            })
        #expect(flows["extract-request"] == false)
        #expect(flows["pickup"] == true && flows["call-staff"] == true)
        #expect(try await paid.kiosk.ctl("status").stdout.contains("test-pinpad.offline"))
        #expect(try await paid.kiosk.stop() == 0)
    }

    @Test func theDayClosesAgainstTheCentralAfterAReversal() async throws {
        let paid = try await Self.start()
        let admin = try await CentralPeer.admin(of: paid.central)
        // One refused and reversed, one paid and made.
        _ = try await admin.setBehaviour(body: .json(.init(refuse: true, pathPrefix: "/v1/extract-requests"))).noContent
        try await paid.kiosk.requestExtract(product: "standard")
        try await Harness.eventually("the refusal") { try await paid.kiosk.step() == "rejected" }
        try await Harness.eventually("the reversal") { try await paid.pinpad.state().transactions.first?.reversed == true }
        _ = try await paid.kiosk.ctl("press", "finish")
        _ = try await admin.setBehaviour(body: .json(.init())).noContent
        try await paid.kiosk.requestExtract(product: "international")
        try await Harness.eventually("done-queued") { try await paid.kiosk.step() == "done-queued" }
        _ = try await paid.kiosk.ctl("press", "finish")

        // A technician's test payment is reversed at once and changes no total.
        let test = try await paid.kiosk.ctl("payment", "test", "0.01")
        #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
        #expect(test.stdout.contains("reversed"))

        let closure = try await paid.kiosk.ctl("payment", "close-day", "--json")
        #expect(closure.status == 0, "\(closure.stdout)\(closure.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(closure.stdout.utf8)) as? [String: Any]
        #expect(report?["matches"] as? Bool == true)
        #expect((report?["central"] as? [String: Int])?["amountCents"] == 1755)
        #expect((report?["terminalDay"] as? [String: Int])?["count"] == 1)
        #expect(try await paid.pinpad.state().closures == 1)

        let status = try await paid.kiosk.ctl("payment", "status")
        #expect(status.stdout.contains("reversed") && status.stdout.contains("queued"))
        let last = try await paid.kiosk.ctl("payment", "last")
        #expect(last.stdout.contains("approved"), "\(last.stdout)")
        #expect(try await paid.kiosk.stop() == 0)
    }

    @Test func aClosureThatDiffersIsAFault() async throws {
        let paid = try await Self.start()
        // Paid at the terminal, and the central never hears of it: the request waits in the outbox.
        let admin = try await CentralPeer.admin(of: paid.central)
        _ = try await admin.setBehaviour(body: .json(.init(unavailableRetryAfter: 600))).noContent
        try await paid.kiosk.requestExtract(product: "standard")
        try await Harness.eventually("the offline receipt") { try await paid.kiosk.step() == "done-offline" }
        let closure = try await paid.kiosk.ctl("payment", "close-day")
        #expect(closure.status == 1)
        #expect(closure.stdout.contains("differs") || closure.stdout.contains("could not be asked"))
        #expect(try await paid.kiosk.ctl("status").stdout.contains("day-closure-mismatch-"))
        _ = try await admin.setBehaviour(body: .json(.init())).noContent
        #expect(try await paid.kiosk.stop() == 0)
    }
}
