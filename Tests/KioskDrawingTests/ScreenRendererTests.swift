import Foundation
import KioskCore
import KioskDrawing
import KioskTesting
import Testing
import Touch

/// Every step of every flow drawn at 1080×1920, in nl and en, in both themes: readable (WCAG contrast from the colours
/// actually drawn), with help on every screen, buttons big enough, and nothing outside the frame.
@Suite struct ScreenRendererTests {

    static func runner() throws -> FlowRunner { try ShippedScreens.runner() }
    static func healthy(_ language: Language) -> KioskState { ShippedScreens.healthy(language) }
    static func screens(_ language: Language) throws -> [(String, Screen)] { try ShippedScreens.all(language) }

    @Test(arguments: [Theme.standard, Theme.highContrast])
    func everyScreenIsReadableWithHelpAndBigButtons(theme: Theme) throws {
        let needed = theme == .highContrast ? 7.0 : 4.5
        let renderer = ScreenRenderer(theme: theme)
        for language in Language.allCases {
            for (name, screen) in try Self.screens(language) {
                var drawn = ScreenRenderer.Drawn()
                _ = try Raster.render(width: 1080, height: 1920) { drawn = renderer.draw(screen, on: $0) }
                for (text, background) in drawn.textColors {
                    #expect(Theme.contrast(text, background) >= needed, "\(name) \(language) \(theme.name)")
                }
                // Help everywhere, but in the call-staff flow itself, which is the help, and while a payment is under way:
                // that ends only at the terminal or with the screen's own cancel, never by leaving the session.
                if !name.hasPrefix("call-staff/"), !name.hasSuffix("-paying") {
                    #expect(drawn.hits.contains { $0.target == .action(.callStaff) }, "help on \(name)")
                }
                // No word breaks in the middle ("Medewe-rker roepen"): lines wrap at spaces, or the text gets smaller.
                #expect(drawn.brokenWords.isEmpty, "\(name) \(language): \(drawn.brokenWords)")
                // Nothing a finger can press lies over another (a button pushed under the bar by a long screen).
                for (index, a) in drawn.hits.enumerated() {
                    for b in drawn.hits[(index + 1)...] {
                        let apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y
                        #expect(apart, "\(name) \(language): \(a.target) overlaps \(b.target)")
                    }
                }
                for hit in drawn.hits {
                    #expect(hit.x >= 0 && hit.y >= 0 && hit.x + hit.width <= 1080 && hit.y + hit.height <= 1920, "\(name)")
                    #expect(hit.height >= 120 && hit.width >= 120, "\(name): \(hit.target) is at least 120 px each way")
                }
            }
        }
    }

    @Test func aVeryLongDutchCompoundWrapsInsteadOfOverflowing() throws {
        var screen = Screen(language: .nl, title: "Meergezinswoningbouwverenigingsbestuursvergaderingsnotulen")
        screen.buttons = [Screen.Button(action: .next, label: String(repeating: "Aansprakelijkheidsverzekering", count: 3))]
        screen.chrome = [Screen.Button(action: .callStaff, label: "Hulp")]
        var drawn = ScreenRenderer.Drawn()
        let raster = try Raster.render(width: 1080, height: 1920) { drawn = ScreenRenderer().draw(screen, on: $0) }
        // Too long for a line even at the smallest size: said, so the check on the shipped screens can fail.
        #expect(drawn.brokenWords.contains(String(repeating: "Aansprakelijkheidsverzekering", count: 3)))
        // A word that fits is not reported.
        #expect(!drawn.brokenWords.contains("Hulp"))
        // The right margin of the title band stays band-coloured: the text wrapped before it.
        let band = Theme.standard.band
        let edge = raster.color(x: 1075, y: 150)
        #expect(abs(edge.red - band.red) < 0.02 && abs(edge.blue - band.blue) < 0.02)
    }

    /// The keypad's focus is a thick ring in the text colour around its button, outside it, so the label stays readable.
    @Test func theKeypadsFocusIsARingAroundItsButton() throws {
        let screen = try ShippedScreens.runner().screen(for: ShippedScreens.healthy(.nl))
        let target = ScreenRenderer.Target.action(.startFlow("pickup"))
        var drawn = ScreenRenderer.Drawn()
        let plain = try Raster.render(width: 1080, height: 1920) { drawn = ScreenRenderer().draw(screen, on: $0) }
        let ringed = try Raster.render(width: 1080, height: 1920) { ScreenRenderer().draw(screen, on: $0, focused: target) }
        let hit = try #require(drawn.hits.first { $0.target == target })
        let outside = (x: Int(hit.x + hit.width / 2), y: Int(hit.y) - 4)
        let text = Theme.standard.text
        #expect(abs(ringed.color(x: outside.x, y: outside.y).red - text.red) < 0.05)
        #expect(abs(plain.color(x: outside.x, y: outside.y).red - text.red) > 0.3, "no ring without the focus")
    }

    @Test func theContrastFormulaMatchesWCAG() {
        #expect(abs(Theme.contrast(.black, .white) - 21) < 0.01)
        #expect(abs(Theme.contrast(.white, .white) - 1) < 0.01)
        #expect(abs(Theme.contrast(Canvas.Color(0.467, 0.467, 0.467), .white) - 4.48) < 0.05)
    }

    /// The first tap of a recorded Atmel panel, calibrated to the whole screen, lands at (459, 969): on the extract button
    /// of the start screen, where the rendered screen has it. The renderer draws that button pressed.
    @Test func aReplayedTapPressesTheIntendedButton() throws {
        let runner = try Self.runner()
        let screen = runner.screen(for: Self.healthy(.nl))
        let renderer = ScreenRenderer()
        var drawn = ScreenRenderer.Drawn()
        _ = try Raster.render(width: 1080, height: 1920) { drawn = renderer.draw(screen, on: $0) }

        let folder = Harness.root + "/Tests/Fixtures/evemu"
        let text = try String(contentsOfFile: folder + "/atmel-maxtouch.1-finger-fast-taps.events", encoding: .utf8)
        var decoder = TouchDecoder()
        var taps = TapRecognizer()
        let calibration = Calibration(x: (0, 799), y: (0, 479), screenWidth: 1080, screenHeight: 1920)
        var first: TapRecognizer.Point?
        for line in text.split(separator: "\n") where line.hasPrefix("E: ") && first == nil {
            let f = line.dropFirst(3).split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard f.count >= 4, let type = UInt16(f[1], radix: 16), let code = UInt16(f[2], radix: 16), let value = Int32(f[3])
            else { continue }
            let raw = InputEvent(type: type, code: code, value: value).bytes
            guard let event = InputEvent(record: raw) else { continue }
            for touch in decoder.feed(event) {
                let point: TapRecognizer.Point? =
                    switch touch {
                    case .down(_, let p), .move(_, let p), .up(_, let p): calibration.screenPoint(p)
                    case .cancelled: nil
                    }
                if case .tapped(let at) = taps.feed(touch, at: point, time: Double(event.seconds)) { first = at }
            }
        }
        let tap = try #require(first)
        #expect(drawn.target(x: tap.x, y: tap.y) == .action(.startFlow("extract-request")), "tap at \(tap), \(drawn.hits)")

        // Pressed feedback: the button under the finger is drawn in the pressed colour.
        let pressed = try Raster.render(width: 1080, height: 1920) {
            renderer.draw(screen, on: $0, pressed: .action(.startFlow("extract-request")))
        }
        let hit = try #require(drawn.hits.first { $0.target == .action(.startFlow("extract-request")) })
        let color = pressed.color(x: Int(hit.x) + 4, y: Int(hit.y) + 4)
        #expect(abs(color.blue - Theme.standard.pressed.blue) < 0.02)
    }

    /// Every screen against its reference in `Snapshots/` (a quarter of the size, to keep the repository small), within a
    /// tolerance for antialiasing. After an intended change, `Tools/update-snapshots.sh` writes the references again; look
    /// at them before committing.
    @Test func snapshotsMatchTheReferences() throws {
        let folder = Harness.root + "/Tests/KioskDrawingTests/Snapshots"
        let update = ProcessInfo.processInfo.environment["SNAPSHOT_UPDATE"] == "1"
        var checked = 0
        for theme in [Theme.standard, .highContrast] {
            for language in Language.allCases {
                for (name, screen) in try Self.screens(language) {
                    let frame = try Raster.render(width: 1080, height: 1920) { ScreenRenderer(theme: theme).draw(screen, on: $0) }
                    let small = frame.downscaled(by: 4)
                    let file = "\(folder)/\(name.replacingOccurrences(of: "/", with: "_"))-\(language)-\(theme.name).png"
                    if update {
                        try small.png().write(to: URL(fileURLWithPath: file))
                        continue
                    }
                    guard let data = FileManager.default.contents(atPath: file), let reference = Raster(png: data) else {
                        Issue.record("no reference \(file): run Tools/update-snapshots.sh and look at the images")
                        continue
                    }
                    let difference = try #require(small.difference(from: reference), "\(name): the size changed")
                    #expect(difference.mean < 0.01 && difference.changed < 0.01, "\(file) differs: \(difference)")
                    checked += 1
                }
            }
        }
        if !update { #expect(checked > 100, "every step of every flow, in two languages and two themes") }
        // The comparison can fail: two different screens are far apart.
        let screens = try Self.screens(.nl)
        let a = try Raster.render(width: 1080, height: 1920) { ScreenRenderer().draw(screens[0].1, on: $0) }.downscaled(by: 4)
        let b = try Raster.render(width: 1080, height: 1920) { ScreenRenderer().draw(screens[5].1, on: $0) }.downscaled(by: 4)
        #expect((a.difference(from: b)?.changed ?? 0) > 0.01)
    }
}
