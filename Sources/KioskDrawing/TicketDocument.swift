public import Foundation
public import KioskCore

/// A receipt or pickup ticket on roll paper (80 mm unless the printer reports another roll), drawn with the same canvas as
/// the extract and the screen.
///
/// It carries what the resident needs to go on: the title, the job's lines (already in their language, from the flow), the
/// reference as a QR code and in print, and the kiosk, date and time. No personal data: the runner puts none in a ticket.
///
/// Given the printer's resolution, the QR code sits on its dot grid: each module a whole number of dots, the code's corner on
/// a dot, so a thermal head prints every module the same width.
public struct TicketDocument: Sendable {
    /// 80 mm wide, 150 mm long, in PDF points.
    public static let size = (width: 226.8, height: 425.2)

    public var job: PrintJob
    public var kioskID: String
    public var location: String
    public var printedAt: Date
    /// The roll's width; the ticket is 150 mm long.
    public var widthMillimetres: Double
    /// The printer's resolution, to align the QR code to; nil when unknown.
    public var dotsPerInch: Int?

    public init(
        job: PrintJob, kioskID: String, location: String, printedAt: Date, widthMillimetres: Double = 80,
        dotsPerInch: Int? = nil
    ) {
        self.job = job
        self.kioskID = kioskID
        self.location = location
        self.printedAt = printedAt
        // 48 to 120 mm: the narrowest receipt rolls to the widest; anything else is not a roll to trust.
        self.widthMillimetres = min(120, max(48, widthMillimetres.isFinite ? widthMillimetres : 80))
        self.dotsPerInch = dotsPerInch.flatMap { (150...2400).contains($0) ? $0 : nil }
    }

    /// Where the QR code goes and how big: `side` wide at most, centred on a page `pageWidth` wide, with each module a
    /// whole number of the printer's dots when its resolution is known.
    public func qrPlacement(_ code: QRCode, pageWidth: Double, top: Double, side: Double) -> (x: Double, y: Double, side: Double)
    {
        let modules = Double(code.size + 8)
        guard let dotsPerInch else { return ((pageWidth - side) / 2, top, side) }
        let dot = 72 / Double(dotsPerInch)
        let module = max(1, (side / modules / dot).rounded(.down)) * dot
        let aligned = module * modules
        func snap(_ value: Double) -> Double { (value / dot).rounded() * dot }
        return (snap((pageWidth - aligned) / 2), snap(top), aligned)
    }

    public func pdf() throws -> Data {
        let width = widthMillimetres * 72 / 25.4
        return try PDF.render(width: width, height: Self.size.height, title: job.title) { canvas in
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
                let place = qrPlacement(qr, pageWidth: canvas.width, top: y, side: 110)
                canvas.draw(qr, x: place.x, y: place.y, side: place.side)
                y = place.y + place.side + 2
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
