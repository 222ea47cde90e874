import Foundation
import Framebuffer
import KioskDrawing
import KioskTesting
import Testing

/// The framebuffer on a file: the same code path as /dev/fb0 after the geometry, read back pixel by pixel.
@Suite struct FramebufferFileTests {
    /// A 4×2 frame whose pixels say where they came from: red = x × 40, green = y × 100.
    static func frame() -> Raster {
        var pixels: [UInt8] = []
        for y in 0..<2 {
            for x in 0..<4 { pixels += [0, UInt8(y * 100), UInt8(x * 40), 255] }
        }
        return Raster(width: 4, height: 2, stride: 16, pixels: pixels)
    }

    static func at(_ raster: Raster, _ x: Int, _ y: Int) -> (red: Int, green: Int) {
        let color = raster.color(x: x, y: y)
        return (Int((color.red * 255).rounded()), Int((color.green * 255).rounded()))
    }

    @Test func thirtyTwoBitsWithAWiderLineThanThePixels() throws {
        let dir = try Harness.scratch()
        let fb = try Framebuffer(path: dir + "/fb", fileGeometry: .init(width: 4, height: 2, bitsPerPixel: 32, lineLength: 64))
        fb.show(Self.frame())
        let back = fb.read()
        #expect(Self.at(back, 3, 1) == (120, 100))
        #expect(Self.at(back, 0, 0) == (0, 0))
        let bytes = try #require(FileManager.default.contents(atPath: dir + "/fb"))
        #expect(bytes.count == 128, "line_length is the stride")
        #expect(bytes[64 + 3 * 4 + 2] == 120, "row 1 starts at byte 64")
    }

    @Test func rgb565KeepsTheColoursWithinItsPrecision() throws {
        let dir = try Harness.scratch()
        let fb = try Framebuffer(path: dir + "/fb", fileGeometry: .init(width: 4, height: 2, bitsPerPixel: 16))
        fb.show(Self.frame())
        let back = fb.read()
        let pixel = Self.at(back, 3, 1)
        #expect(abs(pixel.red - 120) <= 8 && abs(pixel.green - 100) <= 4)
    }

    @Test func aScreenMountedTurnedGetsTheFrameTurned() throws {
        let dir = try Harness.scratch()
        // The device is 2 wide and 4 high; the frame is drawn upright, 4 wide and 2 high, and turned 90° clockwise.
        let fb = try Framebuffer(path: dir + "/fb", fileGeometry: .init(width: 2, height: 4, bitsPerPixel: 32))
        fb.show(Self.frame(), rotated: 90)
        let back = fb.read()
        // Upright (x, y) lands at (height - 1 - y, x): the top-left corner goes to the top-right.
        #expect(Self.at(back, 1, 0) == (0, 0))
        #expect(Self.at(back, 0, 0) == (0, 100))
        #expect(Self.at(back, 0, 3) == (120, 100))
    }

    @Test func aFileWithoutGeometryOrANonsenseOneIsRefused() throws {
        let dir = try Harness.scratch()
        #expect(throws: Framebuffer.FramebufferError.self) { _ = try Framebuffer(path: dir + "/fb") }
        #expect(throws: Framebuffer.FramebufferError.self) {
            _ = try Framebuffer(path: dir + "/fb", fileGeometry: .init(width: 10, height: 10, bitsPerPixel: 32, lineLength: 8))
        }
    }

    @Test func fontsAreResolvedAndAMissingOneIsNoticed() async throws {
        #expect(Canvas.resolvedFamily("DejaVu Sans") == "DejaVu Sans")
        #expect(Canvas.resolvedFamily("No Such Font At All") != "No Such Font At All")
        let dir = try Harness.scratch()
        let kiosk = try await RunningKiosk(
            reusing: dir, front: "framebuffer",
            extraConfig:
                "framebuffer:\n  path: \(dir)/fb\n  width: 540\n  height: 960\n  font: No Such Font At All\n  touch: auto\n")
        #expect(
            kiosk.log.contains("framebuffer: font 'No Such Font At All' is not installed; drawing with 'DejaVu Sans' instead"))
        #expect(try await kiosk.ctl("status").status == 0, "and the kiosk serves")
        // No touch panel on this machine: one line, and it keeps looking.
        try await Harness.eventually("the touch line") { kiosk.log.contains("touch: no touch panel found in /dev/input") }
        #expect(try await kiosk.stop() == 0)
    }
}
