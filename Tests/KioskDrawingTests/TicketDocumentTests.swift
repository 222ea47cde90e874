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

    /// At 203 dpi every module is a whole number of dots and the code's corner sits on a dot; the ticket is as wide as
    /// the roll, and scans at the printer's resolution.
    @Test func theQRCodeIsAlignedToTheDotGridAndTheTicketToTheRoll() async throws {
        let code = try #require(QRCode("TLB-ABCD2345"))
        for dpi in [203, 300, 600] {
            let ticket = TicketDocument(
                job: Self.job, kioskID: "k", location: "l", printedAt: Date(), widthMillimetres: 58, dotsPerInch: dpi)
            let place = ticket.qrPlacement(code, pageWidth: 58 * 72 / 25.4, top: 101.3, side: 110)
            let dot = 72 / Double(dpi)
            let moduleDots = place.side / Double(code.size + 8) / dot
            #expect(abs(moduleDots - moduleDots.rounded()) < 1e-9 && moduleDots >= 1, "\(moduleDots) dots at \(dpi) dpi")
            for edge in [place.x, place.y] { #expect(abs(edge / dot - (edge / dot).rounded()) < 1e-9, "on the grid") }
            #expect(place.side <= 110)
        }
        let narrow = try TicketDocument(
            job: Self.job, kioskID: "k", location: "l", printedAt: Date(), widthMillimetres: 58, dotsPerInch: 203
        ).pdf()
        let dir = try Harness.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try narrow.write(to: URL(fileURLWithPath: dir + "/n.pdf"))
        let info = try await Harness.run("/usr/bin/pdfinfo", [dir + "/n.pdf"])
        #expect(info.stdout.contains("Page size:       164.409 x 425.2 pts"), "58 mm: \(info.stdout)")
        _ = try await Harness.run("/usr/bin/pdftoppm", ["-r", "203", "-png", "-singlefile", dir + "/n.pdf", dir + "/n"])
        let scan = try await Harness.run("/usr/bin/zbarimg", ["--raw", "-q", dir + "/n.png"])
        #expect(scan.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "TLB-ABCD2345")
        #expect(
            TicketDocument(job: Self.job, kioskID: "k", location: "l", printedAt: Date(), widthMillimetres: 4000).widthMillimetres
                == 120)
        #expect(TicketDocument(job: Self.job, kioskID: "k", location: "l", printedAt: Date(), dotsPerInch: 7).dotsPerInch == nil)
    }

    @Test func aQRCodeIsMadeOnlyForWhatFits() {
        #expect(QRCode("TLB-ABCD2345")?.size == 21, "version 1 at level M holds 14 bytes")
        #expect(QRCode("") == nil)
        #expect(QRCode(String(repeating: "x", count: 5000)) == nil)
    }
}
