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
            devices: ["sim-card-reader", "receipt", "sim-scanner", "sim-payment-terminal"],
            extraProfiles: [("receipt.yaml", profile)])
    }

    /// Until `kioskctl status` shows the printer online with paper.
    static func online(_ kiosk: RunningKiosk) async throws {
        try await Harness.eventually("the printer online", seconds: 15) {
            try await kiosk.ctl("status").stdout.contains("receipt            printer     cups       online, paper full")
        }
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
        #expect(status.stdout.contains("supplies   Toner Waste Tank 25%, Black Toner 75%"))
        let test = try await kiosk.ctl("printer", "test")
        #expect(test.status == 0)
        #expect(test.stdout == "test ticket printed\n")
        let jobs = try await kiosk.ctl("printer", "status").stdout
        #expect(jobs.contains("jobs     (newest first)") && jobs.contains("receipt") && jobs.contains("printed"))
        #expect(try await kiosk.stop() == 0)
    }

    @Test func paperOutOnAnIdlePrinterIsAFaultWithinSeconds() async throws {
        let kiosk = try await Self.kiosk()
        try await Self.online(kiosk)
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

    /// A jam in the middle of the resident's print: they are told their request is safe, with its reference, within 5 s;
    /// staff get one fault, the jam's (the failed job is explained by it); no retry while jammed; a retry once the printer
    /// is back prints it once.
    @Test func aJobThatJamsMidFlowKeepsTheRequestAndPrintsOnceOnRetry() async throws {
        let running = try await CUPSPeer.shared.value
        let kiosk = try await Self.kiosk()
        try await Self.online(kiosk)
        let printedBefore = CUPSPeer.printedCount(on: running)
        try await CUPSPeer.nextJob("jam", on: running)
        try await kiosk.requestExtract(product: "standard")
        do {
            try await Harness.eventually("the failed print", seconds: 20) { try await Self.phase(kiosk) == "failed" }
            try await Harness.eventually("the jam's fault") { try await kiosk.ctl("status").stdout.contains("receipt.paper-jam") }
        } catch {
            throw HarnessError("\(error); kioskd's log ends: \(kiosk.log.suffix(2500))")
        }
        #expect(try await kiosk.step() == "print")
        #expect(kiosk.log.contains("print extract (PDF, "))
        #expect(!(try await kiosk.ctl("status").stdout.contains("receipt.job-failed")), "one fault: the jam's")
        let queue = try await kiosk.ctl("queue", "list", "--json").stdout
        #expect(queue.contains("\"state\" : \"delivered\""), "the request itself is safe at the central")
        _ = try await kiosk.ctl("press", "retry")
        #expect(try await Self.phase(kiosk) == "failed", "no retry into a jammed printer")

        // The technician switches the printer off and on; the resident retries; it prints once.
        try await CUPSPeer.restartPrinter(downFor: .milliseconds(200))
        try await Self.online(kiosk)
        _ = try await kiosk.ctl("press", "retry")
        try await Harness.eventually("done", seconds: 20) { try await kiosk.step() == "done" }
        // The extract once (the jammed job never came out), and the payment terminal's receipt after it.
        #expect(CUPSPeer.printedCount(on: running) == printedBefore + 2, "printed once: the jammed job never came out")
        #expect(try await kiosk.stop() == 0)
    }

    /// The queue stopped between the resident's confirm and the print: the job is not sent, the failure screen comes within
    /// 5 s, no retry is offered (or taken) while the queue stays stopped, and the fault names the queue and its command.
    @Test func aStoppedQueueReachesTheResidentWithinFiveSeconds() async throws {
        let running = try await CUPSPeer.shared.value
        let kiosk = try await Self.kiosk()
        let environment = ["CUPS_SERVER": running.server]
        try await Self.online(kiosk)
        let printedBefore = CUPSPeer.printedCount(on: running)
        try await kiosk.requestExtract(product: "standard", submit: false)
        #expect(try await Harness.run(try CUPSPeer.tool("cupsdisable"), [CUPSPeer.queue], environment: environment).status == 0)
        let pressed = ContinuousClock.now
        _ = try await kiosk.ctl("press", "next")
        try await Harness.eventually("the failure screen", seconds: 5) { try await Self.phase(kiosk) == "failed" }
        #expect(ContinuousClock.now - pressed < .seconds(5))
        try await Harness.eventually("the queue's fault") {
            try await kiosk.ctl("status").stdout.contains("de CUPS-wachtrij kiosk is gestopt: cupsenable kiosk")
        }
        #expect(!(try await kiosk.ctl("status").stdout.contains("receipt.job-failed")), "one fault: the queue's")
        _ = try await kiosk.ctl("press", "retry")
        #expect(try await Self.phase(kiosk) == "failed", "no retry into a stopped queue")
        #expect(try await Harness.run(try CUPSPeer.tool("cupsenable"), [CUPSPeer.queue], environment: environment).status == 0)
        try await Self.online(kiosk)
        _ = try await kiosk.ctl("press", "retry")
        try await Harness.eventually("done", seconds: 20) { try await kiosk.step() == "done" }
        // The extract once, and the payment terminal's receipt after it.
        #expect(CUPSPeer.printedCount(on: running) == printedBefore + 2)
        #expect(try await kiosk.stop() == 0)
    }

    /// The printer loses power mid-job: the resident is told it could not be confirmed, with the reference and no retry;
    /// staff get a fault that names the reference.
    @Test func aPrinterLostMidJobIsUnconfirmedWithTheReference() async throws {
        let running = try await CUPSPeer.shared.value
        let kiosk = try await Self.kiosk()
        try await Self.online(kiosk)
        try await CUPSPeer.nextJob("slow", on: running)
        let startedBefore = CUPSPeer.printerJobs(on: running).count
        try await kiosk.requestExtract(product: "standard")
        try await Harness.eventually("the job at the printer", seconds: 20) {
            CUPSPeer.printerJobs(on: running).count > startedBefore
        }
        let printedBefore = CUPSPeer.printedCount(on: running)
        try await CUPSPeer.restartPrinter(downFor: .milliseconds(200)) {
            try await Harness.eventually("unconfirmed", seconds: 10) { try await Self.phase(kiosk) == "unconfirmed" }
        }
        let status = try await kiosk.ctl("status").stdout
        let reference = try #require(
            status.split(separator: "\n").first { $0.contains("receipt.job-unconfirmed-") }.flatMap {
                $0.split(separator: " ").first { $0.hasPrefix("receipt.job-unconfirmed-") }
            })
        #expect(
            status.contains(
                "niet bevestigd of de afdruk voor referentie \(reference.dropFirst("receipt.job-unconfirmed-".count))"))
        _ = try await kiosk.ctl("press", "retry")
        #expect(try await Self.phase(kiosk) == "unconfirmed", "no retry: it may have printed")
        #expect(CUPSPeer.printedCount(on: running) == printedBefore)
        #expect(try await kiosk.stop() == 0)
    }

    static func phase(_ kiosk: RunningKiosk) async throws -> String? {
        let out = try await kiosk.ctl("status", "--json")
        let object = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any]
        return object?["phase"] as? String
    }
}
