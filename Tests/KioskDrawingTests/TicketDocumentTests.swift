import Foundation
import KioskCore
import KioskDrawing
import KioskTesting
import Testing

/// Tickets are read back as a printer would put them on paper: pdftotext for the words, zbarimg for the QR code.
@Suite struct TicketDocumentTests {
    static let job = PrintJob(
        document: .receipt, title: "Ontvangstbewijs",
        lines: ["Referentie: TLB-ABCD2345", "Product: Standaard uittreksel", "Kosten: € 14,40"], code: "TLB-ABCD2345")

    @Test func theQRCodeOnTheTicketScansAsTheReference() async throws {
        let pdf = try TicketDocument(
            job: Self.job, kioskID: "tilburg-1", location: "Stadswinkel", printedAt: Date(timeIntervalSince1970: 1_795_000_000)
        ).pdf()
        let dir = try Harness.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try pdf.write(to: URL(fileURLWithPath: dir + "/t.pdf"))
        // A thermal receipt printer prints at 203 dpi; office printers at 300 and 600.
        for dpi in ["203", "300", "400", "600"] {
            let png = try await Harness.run("/usr/bin/pdftoppm", ["-r", dpi, "-png", "-singlefile", dir + "/t.pdf", dir + "/t"])
            try #require(png.status == 0, "pdftoppm: \(png.stderr)")
            let scan = try await Harness.run("/usr/bin/zbarimg", ["--raw", "-q", dir + "/t.png"])
            #expect(scan.status == 0, "zbarimg found no code at \(dpi) dpi: \(scan.stderr)")
            #expect(scan.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "TLB-ABCD2345", "at \(dpi) dpi")
        }

        let text = try await Harness.run("/usr/bin/pdftotext", ["-layout", dir + "/t.pdf", "-"])
        for expected in ["Ontvangstbewijs", "Referentie: TLB-ABCD2345", "€ 14,40", "Stadswinkel · tilburg-1", "18-11-2026 12:06"]
        {
            #expect(text.stdout.contains(expected), "missing \(expected)")
        }
    }

    @Test func aQRCodeIsMadeOnlyForWhatFits() {
        #expect(QRCode("TLB-ABCD2345")?.size == 21, "version 1 at level M holds 14 bytes")
        #expect(QRCode("") == nil)
        #expect(QRCode(String(repeating: "x", count: 5000)) == nil)
    }
}
