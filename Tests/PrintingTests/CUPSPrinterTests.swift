import Foundation
import KioskCore
import KioskDevices
import KioskDrawing
import KioskTesting
import Logging
import Printing
import Testing

/// The CUPS driver against a private cupsd and ippeveprinter: what the printer received is read back from its spool.
@Suite(.serialized) struct CUPSPrinterTests {
    static let logger = Logger(label: "cups-test") { StreamLogHandler.standardError(label: $0) }

    static func printer(queue: String = CUPSPeer.queue, server: String? = nil, timeout: Int = 30) async throws -> CUPSPrinter {
        let running = try await CUPSPeer.shared.value
        let yaml =
            "id: receipt\nclass: printer\ndriver: cups\noptions:\n  queue: \(queue)\n  server: \"\(server ?? running.server)\"\n"
            + "  jobTimeoutSeconds: \"\(timeout)\"\n"
        let profile = try #require(DeviceProfile.load([("p.yaml", yaml)]).profiles.first)
        return CUPSPrinter(profile: profile, kioskID: "test-kiosk", location: "test bench", logger: logger)
    }

    static func spooled(after known: Set<String>) async throws -> String {
        let spool = try await CUPSPeer.shared.value.spool
        var found: String?
        try await Harness.eventually("the document in the printer's spool") {
            found = try FileManager.default.contentsOfDirectory(atPath: spool).first {
                $0.hasSuffix(".pdf") && !known.contains($0)
            }
            return found != nil
        }
        return spool + "/" + found!
    }

    static func spoolContents() async throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: try await CUPSPeer.shared.value.spool))
    }

    @Test func aReceiptIsDrawnPrintedAndReachesThePrinterWithItsQRCode() async throws {
        let printer = try await Self.printer()
        let before = try await Self.spoolContents()
        let job = PrintJob(
            document: .receipt, title: "Ontvangstbewijs", lines: ["Referentie: TLB-QR7X2M4P", "Product: Standaard uittreksel"],
            code: "TLB-QR7X2M4P")
        #expect(await printer.print(job, document: nil) == .printed)
        let file = try await Self.spooled(after: before)
        let text = try await Harness.run("/usr/bin/pdftotext", [file, "-"])
        #expect(text.stdout.contains("Referentie: TLB-QR7X2M4P"))
        #expect(text.stdout.contains("test bench · test-kiosk"))
        let dir = try Harness.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try await Harness.run("/usr/bin/pdftoppm", ["-r", "200", "-png", "-singlefile", file, dir + "/t"])
        let scan = try await Harness.run("/usr/bin/zbarimg", ["--raw", "-q", dir + "/t.png"])
        #expect(scan.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "TLB-QR7X2M4P")
        #expect(printer.counters["jobsPrinted"] == 1)
    }

    /// The kiosk does not redraw or change it; CUPS's own PDF filter may rewrite its bytes on the way (pdftopdf), so what
    /// is compared is what it says.
    @Test func anExtractFromTheCentralIsPrintedAsItIs() async throws {
        let printer = try await Self.printer()
        let before = try await Self.spoolContents()
        let identity = Identity(
            documentCode: "P", issuer: "NLD", documentNumber: "SPECI2014", surname: "DE BRUIJN", givenNames: "WILLEKE",
            nationality: "NLD", birthDate: "650310", sex: "F", expiryDate: "240309")
        let pdf = try ExtractDocument(
            language: .nl, product: LocalizedText(nl: "Standaard uittreksel", en: "Standard extract"), caseID: "Z-1",
            reference: "TLB-ABCD2345", issued: Date(), bsn: "999993653", identity: identity
        ).pdf()
        let job = PrintJob(document: .extract, title: "Uittreksel", lines: [], documentID: "d-1")
        #expect(await printer.print(job, document: pdf) == .printed)
        let file = try await Self.spooled(after: before)
        let dir = try Harness.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try pdf.write(to: URL(fileURLWithPath: dir + "/sent.pdf"))
        let sent = try await Harness.run("/usr/bin/pdftotext", ["-layout", dir + "/sent.pdf", "-"]).stdout
        let received = try await Harness.run("/usr/bin/pdftotext", ["-layout", file, "-"]).stdout
        #expect(received == sent)
        #expect(received.contains("DE BRUIJN"))
        #expect(printer.counters["documentBytes"] == pdf.count)
    }

    @Test func aQueueThatDoesNotExistFailsTheJob() async throws {
        let printer = try await Self.printer(queue: "no-such-queue")
        let job = PrintJob(document: .receipt, title: "Receipt", lines: ["x"], code: "TLB-1")
        #expect(await printer.print(job, document: nil) == .failed)
        #expect(printer.counters["jobsFailed"] == 1)
        #expect(printer.capabilities["problem"]?.hasSuffix("has no queue 'no-such-queue'") == true)
    }

    @Test func cupsNotRunningFailsTheJobAtOnce() async throws {
        let closed = "127.0.0.1:9"
        let printer = try await Self.printer(server: closed)
        let start = ContinuousClock.now
        #expect(await printer.print(PrintJob(document: .receipt, title: "R", lines: []), document: nil) == .failed)
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(printer.capabilities["problem"] == "CUPS is not running or not reachable at 127.0.0.1:9")
    }

    @Test func aJobThatDoesNotFinishIsCancelled() async throws {
        let running = try await CUPSPeer.shared.value
        let printer = try await Self.printer(timeout: 2)
        try "slow".write(toFile: running.dir + "/next-job", atomically: true, encoding: .utf8)
        #expect(await printer.print(PrintJob(document: .receipt, title: "R", lines: ["slow"]), document: nil) == .failed)
        let jobs = try await Harness.run(
            try CUPSPeer.tool("lpstat"), ["-o", CUPSPeer.queue], environment: ["CUPS_SERVER": running.server])
        #expect(jobs.stdout.isEmpty, "the job was cancelled, not left to print later: \(jobs.stdout)")
    }
}
