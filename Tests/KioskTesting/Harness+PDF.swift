public import Foundation

extension Harness {
    /// A PDF's text as poppler's pdftotext lays it out: what a printer would put on paper.
    public static func pdfText(_ pdf: Data) async throws -> String {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try pdf.write(to: URL(fileURLWithPath: dir + "/x.pdf"))
        let out = try await run("/usr/bin/pdftotext", ["-layout", dir + "/x.pdf", "-"])
        guard out.status == 0 else { throw PeerError("pdftotext: \(out.stderr)") }
        return out.stdout
    }
}
