import Foundation
import KioskCore
import KioskDrawing
import KioskTesting
import Logging
import Testing

@testable import Framebuffer

/// A waiting screen must visibly live, so a resident does not think the kiosk froze while the central or the chip answers.
@Suite struct BusyIndicatorTests {
    static func front(_ dir: String) throws -> (FramebufferFront, Framebuffer) {
        let fb = try Framebuffer(path: dir + "/fb", fileGeometry: .init(width: 540, height: 960, bitsPerPixel: 32))
        return (FramebufferFront(framebuffer: fb, theme: .standard, touch: nil, logger: Logger(label: "test")), fb)
    }

    @Test func aBusyScreenIsRedrawnWithTheIndicatorMovingUntilTheNextScreen() async throws {
        let dir = try Harness.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (front, fb) = try Self.front(dir)
        defer { front.stop() }
        var waiting = Screen(language: .nl, title: "Even geduld")
        waiting.busy = true
        front.show(waiting)
        let first = fb.read().pixels
        // Waited for, not timed: on a loaded machine the indicator's task may start late.
        try await Harness.eventually("the indicator to move") {
            (front.counters["frames"] ?? 0) >= 3 && fb.read().pixels != first
        }

        let done = Screen(language: .nl, title: "Klaar")
        front.show(done)
        let final = fb.read().pixels
        let frames = front.counters["frames"] ?? 0
        try await Task.sleep(for: .milliseconds(600))
        let unchanged = fb.read().pixels == final
        #expect(unchanged, "the next screen is never painted over by the old indicator")
        #expect((front.counters["frames"] ?? 0) == frames, "and the old one stopped")
    }

    @Test func eachTickLightsTheNextBlock() throws {
        var waiting = Screen(language: .en, title: "One moment")
        waiting.busy = true
        let renderer = ScreenRenderer(width: 540, height: 960)
        let frames = try (0..<ScreenRenderer.busySteps + 1).map { tick in
            try Raster.render(width: 540, height: 960) { renderer.draw(waiting, on: $0, tick: tick) }.pixels
        }
        let distinct = Set(frames.prefix(ScreenRenderer.busySteps)).count
        #expect(distinct == ScreenRenderer.busySteps)
        let round = frames.last == frames.first
        #expect(round, "it goes round")
    }
}

/// `keyboard: auto` picks a node by what keys it has: a keyboard, never the power button or a touch panel.
@Suite struct KeyboardDiscoveryTests {
    static func bits(_ codes: [Int]) -> [UInt8] {
        var bits = [UInt8](repeating: 0, count: 96)
        for code in codes { bits[code / 8] |= 1 << (code % 8) }
        return bits
    }

    @Test func aKeyboardHasLettersDigitsEnterAndEscape() {
        let keyboard = Array(1...88) + [96, 97, 98]
        #expect(EventDevice.isKeyboard(keyBits: Self.bits(keyboard)))
        #expect(!EventDevice.isKeyboard(keyBits: Self.bits([116])), "a power button")
        #expect(!EventDevice.isKeyboard(keyBits: Self.bits([330, 325])), "a touch panel's BTN_TOUCH and BTN_TOOL_FINGER")
        #expect(!EventDevice.isKeyboard(keyBits: Self.bits(Array(2...11) + [28, 1, 96])), "a keypad without letters")
        #expect(!EventDevice.isKeyboard(keyBits: []), "a node that said nothing")
    }
}
