import Foundation
import KioskTesting
import Testing

@testable import Touch

@Suite struct RecordingTests {
    @Test func rawRecordsRoundTrip() throws {
        let events = try Recording.events("ep0430m09.2-fingers-touch-release.events")
        #expect(events.count == 58)
        var reader = InputEventReader()
        #expect(reader.feed(events.flatMap(\.bytes)) == events)
        #expect(events[1] == InputEvent(seconds: 0, microseconds: 1, type: 3, code: 0x35, value: 404), "the value is decimal")
    }

    @Test func twoFingersTouchAndRelease() throws {
        let touches = try Recording.touches("ep0430m09.2-fingers-touch-release.events").map(\.0)
        let downs = touches.compactMap { if case .down(let contact, let point) = $0 { (contact, point) } else { nil } }
        let ups = touches.compactMap { if case .up(let contact, _) = $0 { contact } else { nil } }
        #expect(downs.map(\.0) == [1, 2])
        #expect(downs.map(\.1) == [TouchPoint(x: 404, y: 409), TouchPoint(x: 933, y: 414)])
        #expect(Set(ups) == [1, 2], "both fingers lift")
        #expect(touches.contains { if case .move = $0 { true } else { false } })
    }

    @Test func aDragMovesOneContactAndLiftsIt() throws {
        let touches = try Recording.touches("ep0430m09.1-finger-drag-up-down.events").map(\.0)
        let downs = touches.filter { if case .down = $0 { true } else { false } }
        let moves = touches.compactMap { if case .move(_, let point) = $0 { point } else { nil } }
        #expect(downs.count == touches.filter { if case .up = $0 { true } else { false } }.count)
        #expect(moves.count > 50)
        let ys = moves.map(\.y)
        #expect((ys.max() ?? 0) - (ys.min() ?? 0) > 200, "up and down the screen")
    }

    @Test func fastTapsAreTapsOnTheAtmelPanel() throws {
        let touches = try Recording.touches("atmel-maxtouch.1-finger-fast-taps.events")
        let calibration = Calibration(x: (0, 799), y: (0, 479), screenWidth: 800, screenHeight: 480)
        var taps = TapRecognizer(debounce: 0)
        var tapped: [TapRecognizer.Point] = []
        for (touch, time) in touches {
            let point: TapRecognizer.Point? =
                switch touch {
                case .down(_, let p), .move(_, let p), .up(_, let p): calibration.screenPoint(p)
                case .cancelled: nil
                }
            if case .tapped(let at) = taps.feed(touch, at: point, time: time) { tapped.append(at) }
        }
        let downs = touches.filter { if case .down = $0.0 { true } else { false } }.count
        #expect(downs >= 3)
        #expect(tapped.count == downs, "every quick touch is a tap")
        #expect(tapped.allSatisfy { (0...800).contains($0.x) && (0...480).contains($0.y) })
    }
}
