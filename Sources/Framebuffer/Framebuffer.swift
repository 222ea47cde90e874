import CLinuxFB
import Glibc
public import KioskDrawing

/// The Linux framebuffer (/dev/fb0), or a regular file standing in for it in tests and `--fb-file`.
///
/// Frames are drawn in memory (``Raster``) and copied in, row by row with the device's `line_length` as the stride. No page
/// flipping with `FBIOPAN_DISPLAY`: on DRM-emulated framebuffers the panned page never showed. A file answers the ioctls
/// with ENOTTY, so its geometry is given; everything after that is the same code.
public final class Framebuffer: @unchecked Sendable {
    public struct Geometry: Sendable, Equatable {
        public var width: Int
        public var height: Int
        /// 32 (XRGB8888 / ARGB8888) or 16 (RGB565).
        public var bitsPerPixel: Int
        /// Bytes per row; at least width × bytes per pixel.
        public var lineLength: Int

        public init(width: Int, height: Int, bitsPerPixel: Int, lineLength: Int? = nil) {
            self.width = width
            self.height = height
            self.bitsPerPixel = bitsPerPixel
            self.lineLength = lineLength ?? width * bitsPerPixel / 8
        }
    }

    public struct FramebufferError: Error, CustomStringConvertible {
        public let description: String
    }

    public let geometry: Geometry
    let fd: Int32
    let memory: UnsafeMutableRawPointer
    let size: Int
    /// Whether the console was switched to graphics mode (and must be switched back).
    let console: Console?

    /// - parameters:
    ///   - path: /dev/fb0, or a file.
    ///   - fileGeometry: the geometry of a file; ignored for a real device, which says its own.
    public init(path: String, fileGeometry: Geometry? = nil) throws(FramebufferError) {
        fd = open(path, O_RDWR | O_CREAT, 0o600)
        guard fd >= 0 else { throw FramebufferError(description: "\(path): \(String(cString: strerror(errno)))") }
        var variable = fb_var_screeninfo()
        var fixed = fb_fix_screeninfo()
        var geometry: Geometry
        if kiosk_fb_var(fd, &variable) == 0, kiosk_fb_fix(fd, &fixed) == 0 {
            geometry = Geometry(
                width: Int(variable.xres), height: Int(variable.yres), bitsPerPixel: Int(variable.bits_per_pixel),
                lineLength: Int(fixed.line_length))
        } else if let fileGeometry {
            geometry = fileGeometry
        } else {
            close(fd)
            throw FramebufferError(description: "\(path) is not a framebuffer, and no geometry was given for it as a file")
        }
        guard geometry.bitsPerPixel == 32 || geometry.bitsPerPixel == 16 else {
            close(fd)
            throw FramebufferError(description: "\(path): \(geometry.bitsPerPixel) bits per pixel is not supported (32 or 16)")
        }
        guard geometry.width > 0, geometry.height > 0, geometry.width <= 8192, geometry.height <= 8192,
            geometry.lineLength >= geometry.width * geometry.bitsPerPixel / 8
        else {
            close(fd)
            throw FramebufferError(description: "\(path): an impossible geometry \(geometry.width)×\(geometry.height)")
        }
        size = geometry.lineLength * geometry.height
        var stats = stat()
        if fstat(fd, &stats) == 0, (stats.st_mode & S_IFMT) == S_IFREG, stats.st_size < size { _ = ftruncate(fd, off_t(size)) }
        guard let mapped = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), mapped != MAP_FAILED else {
            close(fd)
            throw FramebufferError(description: "\(path): mmap failed: \(String(cString: strerror(errno)))")
        }
        memory = mapped
        self.geometry = geometry
        // On a real framebuffer, take the console as Weston and Xorg do: graphics mode (no cursor, no text over the screen),
        // its keyboard off (K_OFF: Ctrl-Alt-Del and Ctrl-C reach no shell there) and VT switching locked.
        // A file (the tests, --fb-file) leaves the console of the machine it runs on alone.
        console = (stats.st_mode & S_IFMT) == S_IFCHR ? Console.take() : nil
    }

    deinit {
        restoreConsole()
        munmap(memory, size)
        close(fd)
    }

    /// Gives the screen back to the text console (on exit, so a technician sees a prompt again).
    public func restoreConsole() { console?.restore() }

    /// Copies a frame drawn upright for a screen mounted turned by `degrees` (90, 180 or 270, clockwise): the frame is as
    /// wide as the device is high for 90 and 270.
    public func show(_ frame: Raster, rotated degrees: Int) {
        guard degrees % 360 != 0 else { return show(frame) }
        let turned = Self.rotate(frame, degrees)
        show(turned)
    }

    static func rotate(_ frame: Raster, _ degrees: Int) -> Raster {
        let quarter = ((degrees / 90) % 4 + 4) % 4
        let (w, h) = quarter % 2 == 1 ? (frame.height, frame.width) : (frame.width, frame.height)
        var out = [UInt8](repeating: 0, count: w * h * 4)
        frame.pixels.withUnsafeBytes { source in
            out.withUnsafeMutableBytes { target in
                let from = source.bindMemory(to: UInt32.self)
                let to = target.bindMemory(to: UInt32.self)
                let sourceWidth = frame.stride / 4
                for y in 0..<frame.height {
                    for x in 0..<frame.width {
                        let (tx, ty): (Int, Int) =
                            switch quarter {
                            case 1: (frame.height - 1 - y, x)
                            case 2: (frame.width - 1 - x, frame.height - 1 - y)
                            default: (y, frame.width - 1 - x)
                            }
                        to[ty * w + tx] = from[y * sourceWidth + x]
                    }
                }
            }
        }
        return Raster(width: w, height: h, stride: w * 4, pixels: out)
    }

    /// Copies a frame in, converting its pixels to the device's format. A frame of another size is clipped to the screen.
    public func show(_ frame: Raster) {
        let rows = min(frame.height, geometry.height)
        let columns = min(frame.width, geometry.width)
        frame.pixels.withUnsafeBytes { source in
            for row in 0..<rows {
                let from = source.baseAddress! + row * frame.stride
                let to = memory + row * geometry.lineLength
                if geometry.bitsPerPixel == 32 {
                    to.copyMemory(from: from, byteCount: columns * 4)
                } else {
                    Self.rgb565(from, to, columns)
                }
            }
        }
    }

    /// XRGB8888 (cairo's native-endian ARGB32) to RGB565, little-endian.
    static func rgb565(_ from: UnsafeRawPointer, _ to: UnsafeMutableRawPointer, _ count: Int) {
        let source = from.assumingMemoryBound(to: UInt32.self)
        let target = to.assumingMemoryBound(to: UInt16.self)
        for index in 0..<count {
            let pixel = source[index]
            let red = UInt16(pixel >> 19 & 0x1F)
            let green = UInt16(pixel >> 10 & 0x3F)
            let blue = UInt16(pixel >> 3 & 0x1F)
            target[index] = (red << 11 | green << 5 | blue).littleEndian
        }
    }

    /// What is on the screen now, as a frame (for `kioskctl screenshot` when the front has no frame of its own).
    public func read() -> Raster {
        var pixels = [UInt8](repeating: 0, count: geometry.width * 4 * geometry.height)
        for row in 0..<geometry.height {
            let from = memory + row * geometry.lineLength
            for column in 0..<geometry.width {
                let offset = (row * geometry.width + column) * 4
                if geometry.bitsPerPixel == 32 {
                    let pixel = from.load(fromByteOffset: column * 4, as: UInt32.self)
                    pixels[offset] = UInt8(pixel & 0xFF)
                    pixels[offset + 1] = UInt8(pixel >> 8 & 0xFF)
                    pixels[offset + 2] = UInt8(pixel >> 16 & 0xFF)
                } else {
                    let pixel = UInt16(littleEndian: from.load(fromByteOffset: column * 2, as: UInt16.self))
                    pixels[offset] = UInt8((pixel & 0x1F) << 3)
                    pixels[offset + 1] = UInt8((pixel >> 5 & 0x3F) << 2)
                    pixels[offset + 2] = UInt8((pixel >> 11 & 0x1F) << 3)
                }
                pixels[offset + 3] = 0xFF
            }
        }
        return Raster(width: geometry.width, height: geometry.height, stride: geometry.width * 4, pixels: pixels)
    }
}
