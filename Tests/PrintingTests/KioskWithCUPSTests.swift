import Foundation
import KioskTesting
import Testing

/// kioskd with its printer on the test's cupsd: the technician's view, a test ticket, and paper-out on an idle printer
/// reaching `kioskctl status` as a fault within seconds. Serialized with the other tests on the shared printer.
extension CUPSPrinterTests {
    static func kiosk() async throws -> RunningKiosk {
        let running = try await CUPSPeer.shared.value
        let profile = """
            id: receipt
            class: printer
            driver: cups
            options:
              queue: \(CUPSPeer.queue)
              server: "\(running.server)"
              pollMillis: "300"
              jobTimeoutSeconds: "20"

            """
        return try await RunningKiosk(
            devices: ["sim-card-reader", "receipt", "sim-scanner"], extraProfiles: [("receipt.yaml", profile)])
    }

    @Test func theTechnicianSeesThePrinterAndPrintsATestTicket() async throws {
        let kiosk = try await Self.kiosk()
        let running = try await CUPSPeer.shared.value
        try await Harness.eventually("the printer's reasons") {
            try await kiosk.ctl("printer", "status").stdout.contains("reasons    none")
        }
        let status = try await kiosk.ctl("printer", "status")
        #expect(status.stdout.contains("printer  receipt (cups): online, paper full"))
        #expect(status.stdout.contains("queue      kiosk"))
        #expect(status.stdout.contains("device     \(running.deviceURI)"))
        let test = try await kiosk.ctl("printer", "test")
        #expect(test.status == 0)
        #expect(test.stdout == "test ticket printed\n")
        #expect(try await kiosk.ctl("printer", "status").stdout.contains("receipt        "))
        #expect(try await kiosk.stop() == 0)
    }

    @Test func paperOutOnAnIdlePrinterIsAFaultWithinSeconds() async throws {
        let kiosk = try await Self.kiosk()
        try await Harness.eventually("the printer online") {
            try await kiosk.ctl("status").stdout.contains("receipt            printer     cups       online, paper full")
        }
        try await CUPSPeer.setPaper(level: 0)
        try await Harness.eventually("the fault in kioskctl status", seconds: 5) {
            try await kiosk.ctl("status").stdout.contains("receipt.paper-out")
        }
        let status = try await kiosk.ctl("status").stdout
        #expect(status.contains("extract-request    hidden (device fault)"))
        #expect(status.contains("Printer receipt: het papier is op; vul de papierrol bij."))
        try await CUPSPeer.setPaper(level: 250)
        try await Harness.eventually("the fault resolved") { try await kiosk.ctl("status").stdout.contains("faults   none") }
        #expect(try await kiosk.stop() == 0)
    }
}
