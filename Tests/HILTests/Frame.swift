import CPangoCairo
import Foundation
import KioskTesting

/// A picture of the screen as RGB bytes: QEMU's screendump (the VGA device's memory, which is what the panel shows) or
/// kioskd's own screenshot (PNG), so the two can be compared.
struct Frame: Sendable, Equatable {
    var width: Int
    var height: Int
    var rgb: [UInt8]

    /// A binary PPM (P6, maxval 255), as QEMU's `screendump` writes it.
    init(ppm data: Data) throws {
        let bytes = [UInt8](data)
        var fields: [String] = []
        var index = 0
        while fields.count < 4, index < bytes.count {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A { index += 1 }
            let start = index
            while index < bytes.count, bytes[index] != 0x20, bytes[index] != 0x0A { index += 1 }
            fields.append(String(decoding: bytes[start..<index], as: UTF8.self))
        }
        index += 1
        guard fields.count == 4, fields[0] == "P6", let width = Int(fields[1]), let height = Int(fields[2]), fields[3] == "255",
            bytes.count - index == width * height * 3
        else { throw HarnessError("not a P6 screendump") }
        self.width = width
        self.height = height
        rgb = Array(bytes[index...])
    }

    /// A PNG, decoded with cairo as kioskd encoded it.
    init(png path: String) throws {
        guard let surface = cairo_image_surface_create_from_png(path), cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS
        else { throw HarnessError("\(path) is not a PNG cairo can read") }
        defer { cairo_surface_destroy(surface) }
        width = Int(cairo_image_surface_get_width(surface))
        height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                // ARGB32 in native (little-endian) order: B, G, R, A in memory.
                let pixel = data + y * stride + x * 4
                let out = (y * width + x) * 3
                rgb[out] = pixel[2]
                rgb[out + 1] = pixel[1]
                rgb[out + 2] = pixel[0]
            }
        }
        self.rgb = rgb
    }

    /// The share of pixels, on a grid of every `step`th, that are the same in both (0 when the sizes differ).
    func likeness(to other: Frame, step: Int = 7) -> Double {
        guard width == other.width, height == other.height else { return 0 }
        var same = 0
        var total = 0
        var pixel = 0
        while pixel < width * height {
            let at = pixel * 3
            if rgb[at] == other.rgb[at] && rgb[at + 1] == other.rgb[at + 1] && rgb[at + 2] == other.rgb[at + 2] { same += 1 }
            total += 1
            pixel += step
        }
        return Double(same) / Double(total)
    }

    /// How many different colours a grid of pixels has: a console's black is 1, a drawn screen many.
    func colours(step: Int = 101) -> Int {
        var seen = Set<Int>()
        var pixel = 0
        while pixel < width * height {
            let at = pixel * 3
            seen.insert(Int(rgb[at]) << 16 | Int(rgb[at + 1]) << 8 | Int(rgb[at + 2]))
            pixel += step
        }
        return seen.count
    }
}
