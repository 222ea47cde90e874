import CentralAPI
import Foundation
import KioskTesting
import Testing

/// The identity checks end to end, kioskd with kiosk-central over HTTP: a Dutch passport's BSN comes from its chip, an
/// expired one makes no case, and a chip that cannot prove itself is refused and reported to staff.
@Suite struct IdentityChecksTests {
    @Test func aDutchPassportNeverAsksForTheBSNAndAnExpiredOneMakesNoCase() async throws {
        let central = try await CentralPeer.start()
        defer { Task { try? await CentralPeer.stop(central) } }
        let kiosk = try await RunningKiosk(central: central)
        // The chip carries the BSN: identify goes straight to confirm, never through the BSN step.
        try await kiosk.requestExtract(product: "standard")
        try await Harness.eventually("the extract printed") { try await kiosk.step() == "done" }
        let cases = try await CentralPeer.admin(of: central).listCases().ok.body.json
        #expect(cases.count == 1)
        #expect(cases.first?.bsnSource == .chip)
        #expect(kiosk.log.contains("screen extract-request/confirm"))
        #expect(!kiosk.log.contains("screen extract-request/bsn"))
        _ = try await kiosk.ctl("press", "finish")
        _ = try await kiosk.ctl("sim", "card", "remove")

        // The 2014 specimen expired on 2024-03-09: refused at the identify step, nothing sent.
        for action in ["start:extract-request", "next", "option:standard"] { _ = try await kiosk.ctl("press", action) }
        _ = try await kiosk.ctl("sim", "scan", Specimen.nlPassport2014)
        _ = try await kiosk.ctl("sim", "card", "present", "--mrz", Specimen.nlPassport2014)
        try await Harness.eventually("the refusal") {
            try await kiosk.ctl("status").stdout.contains("refused-expired")
        }
        #expect(try await CentralPeer.admin(of: central).listCases().ok.body.json.count == 1)
        #expect(!kiosk.log.contains(Specimen.nlBSN))
        #expect(try await kiosk.stop() == 0)
    }

    @Test func aCloneIsSentToTheCounterAndStaffGetAFault() async throws {
        let kiosk = try await RunningKiosk()
        for action in ["start:extract-request", "next", "option:standard"] { _ = try await kiosk.ctl("press", action) }
        _ = try await kiosk.ctl("sim", "scan", Specimen.nlPassport2035)
        let present = try await kiosk.ctl("sim", "card", "present", "--mrz", Specimen.nlPassport2035, "--tamper", "clone")
        #expect(present.status == 0, "\(present.stderr)")
        try await Harness.eventually("the refusal") {
            try await kiosk.ctl("status").stdout.contains("refused-cloneSuspected")
        }
        try await Harness.eventually("the fault") {
            try await kiosk.ctl("faults").stdout.contains("sim-card-reader.clone-suspected")
        }
        let bad = try await kiosk.ctl("sim", "card", "present", "--mrz", Specimen.nlPassport2035, "--tamper", "photocopy")
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("unknown tamper 'photocopy'"))
        #expect(try await kiosk.stop() == 0)
    }

    @Test func aChipThatAsksForTheCANIsOpenedWithTheDigitsTheResidentTypes() async throws {
        let kiosk = try await RunningKiosk()
        for action in ["start:extract-request", "next", "option:standard"] { _ = try await kiosk.ctl("press", action) }
        _ = try await kiosk.ctl("sim", "scan", Specimen.nlID2031)
        _ = try await kiosk.ctl("sim", "card", "present", "--mrz", Specimen.nlID2031, "--can", "123456")
        try await Harness.eventually("the chip to ask for the CAN") {
            try await kiosk.ctl("status").stdout.contains("canAsked 1")
        }
        _ = try await kiosk.ctl("type", "123456")
        _ = try await kiosk.ctl("press", "submit")
        try await Harness.eventually("confirm, without a BSN step") { try await kiosk.step() == "confirm" }
        #expect(!kiosk.log.contains("123456"), "the CAN never reaches the log")
        #expect(try await kiosk.stop() == 0)
    }
}
