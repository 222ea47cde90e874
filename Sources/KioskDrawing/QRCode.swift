import CQRencode

/// A QR code as a square of modules, from libqrencode. Tickets carry the kiosk reference as one, so staff can scan it.
public struct QRCode: Sendable, Equatable {
    public let size: Int
    /// Row by row, `true` for a dark module.
    public let modules: [Bool]

    /// Error correction M (15 %): a thermal print that fades at an edge still scans. Nil for text libqrencode cannot encode
    /// (empty, or longer than a QR code holds).
    public init?(_ text: String) {
        guard !text.isEmpty, text.utf8.count <= 1000, let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1)
        else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        size = width
        // Bit 0 of each byte is the module's colour; the other bits are libqrencode's bookkeeping.
        modules = (0..<width * width).map { code.pointee.data[$0] & 1 == 1 }
    }

    public subscript(row: Int, column: Int) -> Bool { modules[row * size + column] }
}

extension Canvas {
    /// Draws `code` with its top-left at (x, y), `side` wide, with the quiet zone of 4 modules inside that width.
    public func draw(_ code: QRCode, x: Double, y: Double, side: Double) {
        let module = side / Double(code.size + 8)
        fill(x: x, y: y, width: side, height: side, .white)
        for row in 0..<code.size {
            for column in 0..<code.size where code[row, column] {
                fill(
                    x: x + Double(column + 4) * module, y: y + Double(row + 4) * module, width: module, height: module, .black)
            }
        }
    }
}
