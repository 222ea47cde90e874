import Foundation
import KioskCore
import KioskTesting
import Testing

@testable import KioskDrawing

/// The extract PDF is read back with poppler's pdftotext, so what is checked is what a printer would put on paper.
@Suite struct ExtractDocumentTests {
    static let specimen = Identity(
        documentCode: "P", issuer: "NLD", documentNumber: "SPECI2014", surname: "DE BRUIJN",
        givenNames: "WILLEKE LISELOTTE", nationality: "NLD", birthDate: "650310", sex: "F", expiryDate: "240309")

    func document(_ language: Language, surname: String = "DE BRUIJN") -> ExtractDocument {
        var identity = Self.specimen
        identity.surname = surname
        return ExtractDocument(
            language: language, product: LocalizedText(nl: "Standaard uittreksel", en: "Standard extract"), caseID: "Z-2026001",
            reference: "TLB-ABCD2345", issued: Date(timeIntervalSince1970: 1_795_000_000), bsn: "999993653",
            identity: identity)
    }

    func text(of pdf: Data) async throws -> String {
        let dir = try Harness.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try pdf.write(to: URL(fileURLWithPath: dir + "/x.pdf"))
        let out = try await Harness.run("/usr/bin/pdftotext", ["-layout", dir + "/x.pdf", "-"])
        try #require(out.status == 0, "pdftotext: \(out.stderr)")
        return out.stdout
    }

    @Test func dutchExtractCarriesTheRegisterData() async throws {
        let pdf = try document(.nl).pdf()
        #expect(PDFBytes.looksWhole(pdf))
        let text = try await text(of: pdf)
        for expected in [
            "Gemeente Tilburg", "Uittreksel Basisregistratie Personen", "Standaard uittreksel", "DE BRUIJN",
            "WILLEKE LISELOTTE", "10-03-1965", "999993653", "Z-2026001", "TLB-ABCD2345", "geen geldig document",
        ] {
            #expect(text.contains(expected), "missing \(expected)")
        }
        // 1_795_000_000 is 18-11-2026 11:06 UTC: 12:06 in Amsterdam (winter time).
        #expect(text.contains("18-11-2026 12:06"))
    }

    @Test func englishExtractUsesEnglishLabels() async throws {
        let text = try await text(of: try document(.en).pdf())
        let words = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("Extract from the Personal Records Database"))
        #expect(text.contains("Date of birth"))
        #expect(!text.contains("Geboortedatum"))
    }

    @Test func aVeryLongNameWrapsInsteadOfLeavingThePage() async throws {
        let long = String(repeating: "VANDERHOEVENSTRAATMEESTER", count: 4)
        let text = try await text(of: try document(.nl, surname: long).pdf())
        // Wrapped: the name is on the page whole, spread over more than one line.
        let joined = text.components(separatedBy: .whitespacesAndNewlines).joined()
        #expect(joined.contains(long))
        #expect(!text.split(separator: "\n").contains { $0.contains(long) })
    }

    @Test func birthCenturyIsTheLatestThatIsNotInTheFuture() {
        let issued = Date(timeIntervalSince1970: 1_795_000_000)  // 2026
        #expect(ExtractDocument.display(yymmdd: "650310", notAfter: issued) == "10-03-1965")
        #expect(ExtractDocument.display(yymmdd: "150310", notAfter: issued) == "10-03-2015")
        #expect(ExtractDocument.display(yymmdd: "26AB10", notAfter: issued) == "26AB10")
    }

    @Test func garbageIsNotAPDF() {
        #expect(!PDFBytes.looksWhole(Data("<html>oops</html>".utf8)))
        #expect(!PDFBytes.looksWhole(Data("%PDF-1.5 truncated".utf8)))
    }
}
