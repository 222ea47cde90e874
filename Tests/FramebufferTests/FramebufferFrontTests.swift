import Foundation
import Framebuffer
import KioskCore
import KioskDrawing
import KioskTesting
import Testing
import Touch

#if canImport(Glibc)
    import Glibc
#endif

/// kioskd with the framebuffer front on a file, and a FIFO for a touch panel carrying raw evdev records: what it draws is
/// read back from the file, and a tap written into the FIFO presses the button drawn under it.
@Suite struct FramebufferFrontTests {
    static func extractButton() throws -> ScreenRenderer.Hit { try StartScreen.button(for: "extract-request") }

    /// The writing end of a FIFO, once kioskd holds its reading end (a non-blocking open fails until then).
    static func writer(_ fifo: String) async throws -> Int32 { try await Harness.fifoWriter(fifo) }

    static func tap(x: Int32, y: Int32, at seconds: Int64) -> [UInt8] {
        [
            InputEvent(seconds: seconds, type: 3, code: InputEvent.absMTSlot, value: 0),
            InputEvent(seconds: seconds, type: 3, code: InputEvent.absMTTrackingID, value: 7),
            InputEvent(seconds: seconds, type: 3, code: InputEvent.absMTPositionX, value: x),
            InputEvent(seconds: seconds, type: 3, code: InputEvent.absMTPositionY, value: y),
            InputEvent(seconds: seconds, type: 0, code: 0, value: 0),
            InputEvent(seconds: seconds, microseconds: 80_000, type: 3, code: InputEvent.absMTTrackingID, value: -1),
            InputEvent(seconds: seconds, microseconds: 80_000, type: 0, code: 0, value: 0),
        ].flatMap(\.bytes)
    }

    /// kioskd on a file-backed framebuffer with a FIFO as its `device` (touch or keyboard); `settings` are more lines of the
    /// framebuffer section, with `FIFO` standing for the FIFO.
    static func kiosk(_ device: String = "touch", settings: String) async throws -> (RunningKiosk, dir: String, fifo: String) {
        let dir = try Harness.scratch()
        let fifo = dir + "/" + device
        try #require(mkfifo(fifo, 0o600) == 0)
        let lines = settings.replacingOccurrences(of: "FIFO", with: fifo).split(separator: "\n").map { "  " + $0 }.joined(
            separator: "\n")
        let kiosk = try await RunningKiosk(
            reusing: dir, front: "framebuffer", extraConfig: "framebuffer:\n  path: \(dir)/fb\n" + lines + "\n")
        return (kiosk, dir, fifo)
    }

    @Test func aTapOnTheTouchPanelStartsTheFlowDrawnUnderIt() async throws {
        let (kiosk, dir, fifo) = try await Self.kiosk(
            settings: "width: 1080\nheight: 1920\nbitsPerPixel: 32\ntouch: FIFO\ntouchRange: [0, 1079, 0, 1919]")
        // The start screen is on the "screen": the title band's colour at its top left.
        try await Harness.eventually("the first frame") {
            guard let bytes = FileManager.default.contents(atPath: dir + "/fb"), bytes.count >= 1080 * 1920 * 4 else {
                return false
            }
            let band = Theme.standard.band
            return abs(Double(bytes[2]) / 255 - band.red) < 0.02 && abs(Double(bytes[0]) / 255 - band.blue) < 0.02
        }
        var writer = try await Self.writer(fifo)
        // The panel is unplugged (its writer goes away) and plugged back: kioskd says so once and opens it again.
        close(writer)
        try await Harness.eventually("the panel noticed gone") { kiosk.log.contains("touch \(fifo) went away; waiting for it") }
        writer = try await Self.writer(fifo)
        defer { close(writer) }
        // First a tap where nothing is drawn, then one on the extract button: the flow starts, and only one tap counted
        // (the events are taken in order, so the first was seen and did nothing).
        let nothing = Self.tap(x: 5, y: 1000, at: 90)
        _ = nothing.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
        let button = try Self.extractButton()
        let events = Self.tap(x: Int32(button.x + button.width / 2), y: Int32(button.y + button.height / 2), at: 100)
        #expect(events.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) } == events.count)
        try await Harness.eventually("the flow started by touch") { try await kiosk.step() == "welcome" }
        let status = try await kiosk.ctl("status").stdout
        #expect(status.contains("framebuffer        display     framebuffer online"), "\(status)")
        #expect(status.contains("taps 1"))
        #expect(try await kiosk.stop() == 0)
    }

    /// A panel mounted upside down against the screen: `invertY` mirrors it back, so the tap still lands on the button.
    @Test func aMirroredPanelIsCalibratedBack() async throws {
        let (kiosk, _, fifo) = try await Self.kiosk(settings: "touch: FIFO\ntouchRange: [0, 1079, 0, 1919]\ninvertY: true")
        let writer = try await Self.writer(fifo)
        defer { close(writer) }
        let button = try Self.extractButton()
        let events = Self.tap(x: Int32(button.x + button.width / 2), y: Int32(1919 - (button.y + button.height / 2)), at: 100)
        _ = events.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
        try await Harness.eventually("the flow started") { try await kiosk.step() == "welcome" }
        #expect(try await kiosk.stop() == 0)

        let bad = try Harness.config(
            in: try Harness.scratch(), front: "framebuffer", extraConfig: "framebuffer:\n  swapXY: maybe\n")
        let refused = try await Harness.run(try Harness.binary("kioskd"), ["--config", bad])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("swapXY must be true or false"))
    }

    @Test func anUnsupportedDepthIsOneLineAndNoStart() async throws {
        let dir = try Harness.scratch()
        let config = try Harness.config(
            in: dir, front: "framebuffer",
            extraConfig: "framebuffer:\n  path: \(dir)/fb\n  width: 640\n  height: 480\n  bitsPerPixel: 8\n")
        let out = try await Harness.run(try Harness.binary("kioskd"), ["--config", config])
        #expect(out.status == 1)
        #expect(out.stderr == "kioskd: framebuffer: \(dir)/fb: 8 bits per pixel is not supported (32 or 16)\n")
    }
}

/// `kioskctl screenshot`: the framebuffer front's own frame, or with another front the screen as it would be drawn.
@Suite struct ScreenshotTests {
    @Test func aHeadlessKioskStillGivesAScreenshot() async throws {
        let kiosk = try await RunningKiosk()
        let file = kiosk.dir + "/shot.png"
        let out = try await kiosk.ctl("screenshot", file)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.hasPrefix("saved \(file) (1080×1920, "))
        let png = try #require(FileManager.default.contents(atPath: file))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let refused = try await kiosk.ctl("screenshot", "/nonexistent-folder/x.png")
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("kioskctl: cannot write /nonexistent-folder/x.png"))
        #expect(try await kiosk.stop() == 0)
    }
}

/// The USB keyboard: the way in for staff when the touch panel fails.
@Suite struct KeyboardTests {
    static func key(_ code: UInt16, _ value: Int32 = 1) -> InputEvent { InputEvent(type: 1, code: code, value: value) }

    /// The event a key means on a screen just shown (the focus where it starts).
    static func event(_ input: InputEvent, on screen: Screen) -> KioskEvent? {
        var focus = Focus.start(on: screen)
        if case .event(let event) = KeyboardMapping.handle(input, on: screen, focus: &focus) { return event }
        return nil
    }

    @Test func keysMeanWhatTheyMeanOnTheTerminal() {
        var home = Screen(language: .nl, title: "Welkom")
        home.buttons = [Screen.Button(action: .startFlow("a"), label: "A"), Screen.Button(action: .startFlow("b"), label: "B")]
        home.chrome = [Screen.Button(action: .callStaff, label: "Hulp"), Screen.Button(action: .language, label: "English")]
        #expect(Self.event(Self.key(3), on: home) == .action(.startFlow("b")), "2 presses the second button")
        #expect(Self.event(Self.key(3, 0), on: home) == nil, "releases do nothing")
        #expect(Self.event(Self.key(4), on: home) == nil, "there is no third button")
        #expect(Self.event(Self.key(61), on: home) == .action(.callStaff))
        #expect(Self.event(Self.key(28), on: home) == .action(.startFlow("a")))
        #expect(Self.event(Self.key(1), on: home) == nil, "no back on the start screen")

        var input = Screen(language: .nl, title: "BSN")
        input.input = Screen.InputField(label: "Documentnummer", value: "", keyboard: .documentNumber)
        input.buttons = [Screen.Button(action: .submitInput, label: "Verder")]
        #expect(Self.event(Self.key(3), on: input) == .typed("2"))
        #expect(Self.event(Self.key(30), on: input) == .typed("A"))
        #expect(Self.event(Self.key(14), on: input) == .erase)
        #expect(Self.event(Self.key(28), on: input) == .action(.submitInput))
        #expect(Self.event(InputEvent(type: 3, code: 0, value: 5), on: input) == nil)
        #expect(Self.event(Self.key(240), on: input) == nil, "an unknown key does nothing")
    }

    /// The speech keys: F5 reads aloud, F6 (or Again) says the screen again, F7 and F8 (or Volume down and up, or the
    /// keypad's - and +) set the volume, on any screen, a field's too.
    @Test func theSpeechKeysReadRepeatAndSetTheVolume() {
        var input = Screen(language: .nl, title: "BSN")
        input.input = Screen.InputField(label: "BSN", value: "", keyboard: .bsn)
        let readAloud = Screen.Button(action: .readAloud, label: "Voorlezen")
        for var screen in [Screen(language: .nl, title: "Welkom"), input] {
            screen.chrome = [readAloud]
            #expect(Self.event(Self.key(63), on: screen) == .action(.readAloud))
            for code: UInt16 in [64, 129] { #expect(Self.event(Self.key(code), on: screen) == .speech(.repeatScreen)) }
            for code: UInt16 in [66, 115, 78] { #expect(Self.event(Self.key(code), on: screen) == .speech(.louder)) }
            for code: UInt16 in [65, 114, 74] { #expect(Self.event(Self.key(code), on: screen) == .speech(.softer)) }
        }
    }

    /// EZ Access: down and up move the focus round the field, the buttons and the bar; select presses what has it.
    @Test func aKeypadMovesTheFocusAndSelects() {
        var screen = Screen(language: .nl, title: "Welkom")
        screen.buttons = [Screen.Button(action: .startFlow("a"), label: "A"), Screen.Button(action: .startFlow("b"), label: "B")]
        screen.chrome = [Screen.Button(action: .callStaff, label: "Hulp")]
        var focus = Focus.start(on: screen)
        #expect(focus.index == 0)
        #expect(KeyboardMapping.handle(Self.key(108), on: screen, focus: &focus) == .moved)
        #expect(KeyboardMapping.handle(Self.key(28), on: screen, focus: &focus) == .event(.action(.startFlow("b"))))
        #expect(KeyboardMapping.handle(Self.key(108), on: screen, focus: &focus) == .moved)
        #expect(KeyboardMapping.handle(Self.key(28), on: screen, focus: &focus) == .event(.action(.callStaff)))
        #expect(KeyboardMapping.handle(Self.key(108), on: screen, focus: &focus) == .moved)
        #expect(focus.index == 0, "round again")
        #expect(KeyboardMapping.handle(Self.key(103), on: screen, focus: &focus) == .moved)
        #expect(focus.index == 2)
        #expect(KeyboardMapping.handle(Self.key(138), on: screen, focus: &focus) == .event(.action(.callStaff)), "help")
        // With a field: it has the focus first, and select submits it.
        var input = Screen(language: .nl, title: "BSN")
        input.input = Screen.InputField(label: "BSN", value: "12", keyboard: .bsn)
        input.buttons = [Screen.Button(action: .submitInput, label: "Verder")]
        var onField = Focus.start(on: input)
        #expect(onField.index == nil)
        #expect(KeyboardMapping.handle(Self.key(28), on: input, focus: &onField) == .event(.action(.submitInput)))
    }

    @Test func aKeyboardOnAFIFODrivesTheKiosk() async throws {
        let (kiosk, _, fifo) = try await FramebufferFrontTests.kiosk(
            "keyboard", settings: "width: 540\nheight: 960\nkeyboard: FIFO")
        let writer = try await FramebufferFrontTests.writer(fifo)
        defer { close(writer) }
        let keys = [Self.key(3), Self.key(3, 0), InputEvent(type: 0, code: 0, value: 0)].flatMap(\.bytes)
        _ = keys.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
        try await Harness.eventually("the second flow started from the keyboard") {
            try await kiosk.ctl("status").stdout.contains("session  pickup / ")
        }
        #expect(try await kiosk.stop() == 0)
    }
}
