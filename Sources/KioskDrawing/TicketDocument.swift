public import Foundation
public import KioskCore

/// A receipt or pickup ticket on 80 mm roll paper, drawn with the same canvas as the extract and the screen.
///
/// It carries what the resident needs to go on: the title, the job's lines (already in their language, from the flow), the
/// reference as a QR code and in print, and the kiosk, date and time. No personal data: the runner puts none in a ticket.
public struct TicketDocument: Sendable {
    /// 80 mm wide, 150 mm long, in PDF points.
    public static let size = (width: 226.8, height: 425.2)

    public var job: PrintJob
    public var kioskID: String
    public var location: String
    public var printedAt: Date

    public init(job: PrintJob, kioskID: String, location: String, printedAt: Date) {
        self.job = job
        self.kioskID = kioskID
        self.location = location
        self.printedAt = printedAt
    }

    public func pdf() throws -> Data {
        try PDF.render(width: Self.size.width, height: Self.size.height, title: job.title) { canvas in
            let margin = 12.0
            let width = canvas.width - 2 * margin
            var y = margin
            y += canvas.text("Gemeente Tilburg", x: margin, y: y, width: width, size: 9, color: .grey, align: .center)
            y += 4
            y += canvas.text(job.title, x: margin, y: y, width: width, size: 15, bold: true, align: .center)
            y += 8
            canvas.line(from: (margin, y), to: (margin + width, y))
            y += 8
            for line in job.lines {
                y += canvas.text(line, x: margin, y: y, width: width, size: 10) + 3
            }
            if let code = job.code, let qr = QRCode(code) {
                y += 6
                let side = 110.0
                canvas.draw(qr, x: (canvas.width - side) / 2, y: y, side: side)
                y += side + 2
                y += canvas.text(code, x: margin, y: y, width: width, size: 11, bold: true, align: .center)
            }
            y += 8
            canvas.line(from: (margin, y), to: (margin + width, y))
            y += 6
            let place = location.isEmpty ? kioskID : "\(location) · \(kioskID)"
            canvas.text(
                "\(place)\n\(ExtractDocument.timestamp(printedAt))", x: margin, y: y, width: width, size: 8, color: .grey,
                align: .center)
        }
    }
}
