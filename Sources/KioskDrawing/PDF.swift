import CPangoCairo
public import Foundation

/// Renders drawings to PDF in memory: the extract kiosk-central produces, and later the tickets the printer gets.
public enum PDF {
    /// A4 in PDF points.
    public static let a4 = (width: 595.0, height: 842.0)

    public struct RenderError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `draw` on a canvas of the given size and returns the finished PDF.
    public static func render(
        width: Double = a4.width, height: Double = a4.height, title: String? = nil, _ draw: (Canvas) throws -> Void
    ) throws -> Data {
        let sink = ByteSink()
        guard let surface = cairo_pdf_surface_create_for_stream(ByteSink.write, sink.closure, width, height)
        else { throw RenderError(description: "cairo could not make a PDF surface") }
        if let title { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title) }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "kioskd")
        let context = cairo_create(surface)!
        do {
            try withExtendedLifetime(sink) {
                try draw(Canvas(cairo: context, width: width, height: height))
            }
        } catch {
            cairo_destroy(context)
            cairo_surface_destroy(surface)
            throw error
        }
        cairo_destroy(context)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderError(description: "cairo could not finish the PDF: \(String(cString: cairo_status_to_string(status)))")
        }
        return withExtendedLifetime(sink) { sink.data }
    }

}

/// Collects what cairo writes through a stream callback (a PDF, a PNG). Pass `closure` as the callback's user data and keep
/// the sink alive until cairo is done.
final class ByteSink {
    var data = Data()

    var closure: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    static let write: cairo_write_func_t = { closure, bytes, length in
        guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
        Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
        return CAIRO_STATUS_SUCCESS
    }
}
