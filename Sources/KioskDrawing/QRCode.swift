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
    ///
    /// The dark modules are one path, each row's runs merged into one rectangle, so no seam can open between neighbours
    /// when the page is rasterised at a resolution the module size does not divide (a 203 dpi thermal head).
    public func draw(_ code: QRCode, x: Double, y: Double, side: Double) {
        let module = side / Double(code.size + 8)
        fill(x: x, y: y, width: side, height: side, .white)
        var runs: [(x: Double, y: Double, width: Double, height: Double)] = []
        for row in 0..<code.size {
            var column = 0
            while column < code.size {
                guard code[row, column] else {
                    column += 1
                    continue
                }
                let start = column
                while column < code.size && code[row, column] { column += 1 }
                runs.append(
                    (x + Double(start + 4) * module, y + Double(row + 4) * module, Double(column - start) * module, module))
            }
        }
        fill(rectangles: runs, .black)
    }
}
