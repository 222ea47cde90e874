import Testing

@testable import Touch

@Suite struct DecoderTests {
    static func abs(_ code: UInt16, _ value: Int32) -> InputEvent { InputEvent(type: 3, code: code, value: value) }
    static let syn = InputEvent(type: 0, code: 0, value: 0)

    @Test func singleTouchPanelsWork() {
        var decoder = TouchDecoder()
        let events = [
            Self.abs(0, 100), Self.abs(1, 200), InputEvent(type: 1, code: 0x14A, value: 1), Self.syn, Self.abs(0, 110), Self.syn,
            InputEvent(type: 1, code: 0x14A, value: 0), Self.syn,
        ]
        #expect(
            events.flatMap { decoder.feed($0) } == [
                .down(contact: 0, TouchPoint(x: 100, y: 200)), .move(contact: 0, TouchPoint(x: 110, y: 200)),
                .up(contact: 0, TouchPoint(x: 110, y: 200)),
            ])
    }

    @Test func synDroppedCancelsAndIgnoresTheRestOfTheFrame() {
        var decoder = TouchDecoder()
        var out: [TouchEvent] = []
        for event in [
            Self.abs(0x39, 5), Self.abs(0x35, 10), Self.abs(0x36, 20), Self.syn, InputEvent(type: 0, code: 3, value: 0),
            Self.abs(0x35, 999), Self.syn, Self.abs(0x39, 6), Self.abs(0x35, 30), Self.abs(0x36, 40), Self.syn,
        ] {
            out += decoder.feed(event)
        }
        #expect(
            out == [
                .down(contact: 5, TouchPoint(x: 10, y: 20)), .cancelled, .down(contact: 6, TouchPoint(x: 30, y: 40)),
            ])
    }

    @Test func garbageAndAbsurdValuesDoNotCrash() {
        var decoder = TouchDecoder()
        var reader = InputEventReader()
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<24 * 5000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for event in reader.feed(noise) { _ = decoder.feed(event) }
        for event in [
            Self.abs(0x2F, Int32.max), Self.abs(0x39, 7), Self.abs(0x2F, -5), Self.abs(0x35, Int32.min), Self.syn,
        ] {
            _ = decoder.feed(event)
        }
        let calibration = Calibration(x: (0, 0), y: (5, 1), screenWidth: 1080, screenHeight: 1920)
        let point = calibration.screenPoint(TouchPoint(x: Int32.min, y: Int32.max))
        #expect(point.x < 0 || point.y < 0, "a broken calibration points off screen, where no button is")
    }

    @Test func aSecondFingerDoesNotStealTheTap() {
        var taps = TapRecognizer()
        let a = TapRecognizer.Point(x: 100, y: 100)
        let b = TapRecognizer.Point(x: 900, y: 900)
        #expect(taps.feed(.down(contact: 1, .init(x: 0, y: 0)), at: a, time: 0) == .pressed(a))
        #expect(taps.feed(.down(contact: 2, .init(x: 0, y: 0)), at: b, time: 0.1) == nil)
        #expect(taps.feed(.up(contact: 2, .init(x: 0, y: 0)), at: b, time: 0.2) == nil)
        #expect(taps.feed(.up(contact: 1, .init(x: 0, y: 0)), at: a, time: 0.3) == .tapped(a))
        // A bounce right after is dropped; a slide is abandoned.
        #expect(taps.feed(.down(contact: 3, .init(x: 0, y: 0)), at: a, time: 0.35) == .pressed(a))
        #expect(taps.feed(.up(contact: 3, .init(x: 0, y: 0)), at: a, time: 0.36) == .abandoned(drift: 0))
        #expect(taps.feed(.down(contact: 4, .init(x: 0, y: 0)), at: a, time: 1) == .pressed(a))
        guard case .abandoned(let drift) = taps.feed(.move(contact: 4, .init(x: 0, y: 0)), at: b, time: 1.1) else {
            Issue.record("a slide off the button is abandoned")
            return
        }
        #expect(Swift.abs(drift - 800 * 2.0.squareRoot() * TapRecognizer.defaultPixelPitch) < 0.01, "in millimetres")
    }

    @Test func rotationThroughTheMatrix() {
        var calibration = Calibration(x: (0, 1000), y: (0, 1000), screenWidth: 1080, screenHeight: 1920)
        // 90° clockwise, as libinput writes it: x' = -y + 1, y' = x.
        calibration.matrix = [0, -1, 1, 1, 0, 0]
        let point = calibration.screenPoint(TouchPoint(x: 250, y: 0))
        #expect(point == .init(x: 1080, y: 480))
    }
}
