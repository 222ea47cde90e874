import CPangoCairo
public import Foundation

/// A frame in memory: what the framebuffer front copies to the screen and what a screenshot saves. 32-bit pixels, native
/// endian ARGB (cairo's `ARGB32`: on little-endian machines the bytes are B, G, R, A), `stride` bytes per row.
public struct Raster: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let stride: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, stride: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.stride = stride
        self.pixels = pixels
    }

    /// Draws on a fresh white-cleared frame of `width` × `height` pixels.
    public static func render(width: Int, height: Int, _ draw: (Canvas) throws -> Void) throws -> Raster {
        guard width > 0, height > 0, width <= 8192, height <= 8192,
            let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))
        else { throw PDF.RenderError(description: "cannot make a \(width)×\(height) frame") }
        defer { cairo_surface_destroy(surface) }
        let context = cairo_create(surface)!
        defer { cairo_destroy(context) }
        try draw(Canvas(cairo: context, width: Double(width), height: Double(height)))
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        return Raster(
            width: width, height: height, stride: stride, pixels: Array(UnsafeBufferPointer(start: data, count: stride * height)))
    }

    /// Reads a PNG (a snapshot reference); nil when the data is not a PNG cairo can read.
    public init?(png: Data) {
        final class Source {
            let data: Data
            var offset = 0
            init(_ data: Data) { self.data = data }
        }
        let source = Source(png)
        let surface = withExtendedLifetime(source) {
            cairo_image_surface_create_from_png_stream(
                { closure, buffer, length in
                    guard let closure, let buffer else { return CAIRO_STATUS_READ_ERROR }
                    let source = Unmanaged<Source>.fromOpaque(closure).takeUnretainedValue()
                    guard source.offset + Int(length) <= source.data.count else { return CAIRO_STATUS_READ_ERROR }
                    source.data.copyBytes(to: buffer, from: source.offset..<source.offset + Int(length))
                    source.offset += Int(length)
                    return CAIRO_STATUS_SUCCESS
                }, Unmanaged.passUnretained(source).toOpaque())
        }
        guard let surface else { return nil }
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let data = cairo_image_surface_get_data(surface) else {
            return nil
        }
        let width = Int(cairo_image_surface_get_width(surface))
        let height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        self.init(
            width: width, height: height, stride: stride, pixels: Array(UnsafeBufferPointer(start: data, count: stride * height)))
    }

    /// A smaller copy, each pixel the average of a `factor`×`factor` block: snapshot references stay small in the repository.
    public func downscaled(by factor: Int) -> Raster {
        let w = width / factor
        let h = height / factor
        var out = [UInt8](repeating: 0, count: w * h * 4)
        let area = factor * factor
        let stride = stride
        pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for y in 0..<h {
                    for x in 0..<w {
                        for channel in 0..<4 {
                            var sum = 0
                            for dy in 0..<factor {
                                let row = (y * factor + dy) * stride + x * factor * 4 + channel
                                for dx in 0..<factor { sum &+= Int(source[row + dx * 4]) }
                            }
                            target[(y * w + x) * 4 + channel] = UInt8(sum / area)
                        }
                    }
                }
            }
        }
        return Raster(width: w, height: h, stride: w * 4, pixels: out)
    }

    /// How far two frames of the same size differ: the mean absolute difference per colour channel (0 to 1), and the
    /// fraction of pixels that differ by more than 10 % in some channel.
    public func difference(from other: Raster) -> (mean: Double, changed: Double)? {
        guard width == other.width, height == other.height else { return nil }
        var total = 0
        var changed = 0
        for y in 0..<height {
            for x in 0..<width {
                var differs = false
                for channel in 0..<3 {
                    let d = abs(Int(pixels[y * stride + x * 4 + channel]) - Int(other.pixels[y * other.stride + x * 4 + channel]))
                    total += d
                    if d > 25 { differs = true }
                }
                if differs { changed += 1 }
            }
        }
        return (Double(total) / Double(width * height * 3 * 255), Double(changed) / Double(width * height))
    }

    /// The colour at (x, y), 0 to 1 per channel.
    public func color(x: Int, y: Int) -> Canvas.Color {
        let offset = y * stride + x * 4
        let value = UInt32(pixels[offset]) | UInt32(pixels[offset + 1]) << 8 | UInt32(pixels[offset + 2]) << 16
        return Canvas.Color(Double(value >> 16 & 0xFF) / 255, Double(value >> 8 & 0xFF) / 255, Double(value & 0xFF) / 255)
    }

    /// The frame as PNG, for `kioskctl screenshot` and the snapshot tests.
    public func png() throws -> Data {
        var copy = pixels
        return try copy.withUnsafeMutableBufferPointer { buffer in
            guard
                let surface = cairo_image_surface_create_for_data(
                    buffer.baseAddress, CAIRO_FORMAT_ARGB32, Int32(width), Int32(height), Int32(stride))
            else { throw PDF.RenderError(description: "cannot wrap the frame") }
            defer { cairo_surface_destroy(surface) }
            let sink = ByteSink()
            let status = cairo_surface_write_to_png_stream(surface, ByteSink.write, sink.closure)
            guard status == CAIRO_STATUS_SUCCESS else { throw PDF.RenderError(description: "PNG encoding failed") }
            return withExtendedLifetime(sink) { sink.data }
        }
    }
}
