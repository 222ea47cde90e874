import Foundation
import KioskTesting
import Testing

/// kioskd with its card reader on pcscd: a resident's extract request identifies them from the chip of a (virtual) 2025
/// Dutch passport, PACE only, on the vpcd reader. Serialized with the other vpcd tests: there is one virtual reader.
extension PCSCReaderTests {
    @Test func theIdentifyStepReadsTheChipThroughPCSC() async throws {
        try await PCSCPeer.shared.value
        let pki = try await Self.pki.value
        let kiosk = try await RunningKiosk(
            devices: ["vpcd-reader", "sim-printer", "sim-scanner", "sim-payment-terminal"],
            extraConfig: "documents:\n  cscaFiles: [\(pki)/csca.pem]\n")
        for action in ["start:extract-request", "next", "option:standard"] { _ = try await kiosk.ctl("press", action) }
        try await Harness.eventually("identify") { try await kiosk.step() == "identify" }

        // A wrong document number (valid, but not this document's): the chip refuses and the resident is told so.
        _ = try await kiosk.ctl("type", "XX1234567")
        _ = try await kiosk.ctl("press", "submit")
        _ = try await kiosk.ctl("type", "12081974")
        _ = try await kiosk.ctl("press", "submit")
        _ = try await kiosk.ctl("type", "15042012")
        _ = try await kiosk.ctl("press", "submit")
        let card = try await PCSCPeer.Card(
            mrz: Specimen.nlPassport2035, apduDelay: 0, ["--profile", "nl-passport-2025", "--pki", pki])
        try await Harness.eventually("the refusal", seconds: 20) { kiosk.log.contains("the chip refused the access key") }
        #expect(try await kiosk.step() == "identify")

        _ = try await kiosk.ctl("sim", "scan", Specimen.nlPassport2035)
        try await Harness.eventually("the chip read and the confirm step (no BSN asked)", seconds: 20) {
            try await kiosk.step() == "confirm"
        }
        #expect(kiosk.log.contains("chip read with PACE-ECDH-GM-AES-256 on brainpoolP320r1 with the MRZ, "))
        #expect(kiosk.log.contains(" APDUs; valid: issued by NL, DS C=NL, O=Kiosk Test, CN=Test Document Signer 1"))
        let status = try await kiosk.ctl("status")
        #expect(status.stdout.contains("vpcd-reader"))
        #expect(status.stdout.contains("reads 1"))
        _ = try await kiosk.ctl("press", "next")
        try await Harness.eventually("the extract printed") { try await kiosk.step() == "done" }
        #expect(!kiosk.log.contains("BRUIJN"))
        #expect(!kiosk.log.contains("SPECI2025"))
        #expect(!kiosk.log.contains(Specimen.nlBSN))
        try await card.remove()
        #expect(try await kiosk.stop() == 0)
    }
}
