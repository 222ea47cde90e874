import Foundation
import KioskTesting
import Testing

@testable import Touch

/// Protocol A through mtdev, single touch beside multitouch, dropped and hostile streams, clock steps, and the line a dead
/// panel leaves.
@Suite struct ProtocolTests {
    static func downs(_ touches: [TouchEvent]) -> [Int32] {
        touches.compactMap { if case .down(let contact, _) = $0 { contact } else { nil } }
    }

    static func ups(_ touches: [TouchEvent]) -> [Int32] {
        touches.compactMap { if case .up(let contact, _) = $0 { contact } else { nil } }
    }

    /// Every up and move belongs to a contact that came down and has not lifted.
    static func balanced(_ touches: [TouchEvent]) -> Bool {
        var down: Set<Int32> = []
        for touch in touches {
            switch touch {
            case .down(let contact, _): if !down.insert(contact).inserted { return false }
            case .move(let contact, _): if !down.contains(contact) { return false }
            case .up(let contact, _): if down.remove(contact) == nil { return false }
            case .cancelled: down = []
            }
        }
        return down.isEmpty
    }

    @Test func protocolATwoFingersAreTrackedThroughMtdev() throws {
        let touches = try Recording.touches("ntrig-multitouch.2-fingers-touch-release.events").map(\.0)
        #expect(Set(Self.downs(touches)).count == 2, "two fingers, each with its own id")
        #expect(Set(Self.ups(touches)) == Set(Self.downs(touches)))
        #expect(Self.balanced(touches))
        #expect(touches.contains { if case .move = $0 { true } else { false } }, "a finger keeps its id while it moves")
    }

    @Test func aProtocolADragIsOneContactThatMoves() throws {
        let touches = try Recording.touches("ntrig-multitouch.1-finger-drag-NW-SE.events").map(\.0)
        #expect(Self.downs(touches).count == 1)
        #expect(touches.filter { if case .move = $0 { true } else { false } }.count > 100)
        #expect(Self.balanced(touches))
    }

    /// SYN_DROPPED in the middle of a protocol A touch: the touch is cancelled, mtdev starts afresh, and the fingers still
    /// on the panel come down again as new contacts.
    @Test func synDroppedInProtocolA() throws {
        var events = try Recording.events("ntrig-multitouch.2-fingers-touch-release.events")
        let middle = events.indices.filter { events[$0].type == 0 && events[$0].code == 0 }[60]
        events.insert(InputEvent(type: 0, code: InputEvent.synDropped, value: 0), at: middle + 1)
        var decoder = TouchDecoder(axes: ((0, 9600), (0, 7200)))
        let touches = events.flatMap { decoder.feed($0) }
        #expect(touches.contains(.cancelled))
        #expect(Self.balanced(touches))
        let after = touches.drop { $0 != .cancelled }
        #expect(!Self.downs(Array(after)).isEmpty, "touches go on after the drop")
        #expect(decoder.census.dropped == 1)
    }

    /// A panel whose multitouch never reports a contact (no tracking ids) still works through its single-touch events.
    @Test func singleTouchServesWhenMultitouchSaysNothing() throws {
        let events = try Recording.events("wacom-isdv4-e6-finger.single-tap-center.events").filter {
            !($0.type == InputEvent.absolute && $0.code == InputEvent.absMTTrackingID)
        }
        var decoder = TouchDecoder()
        let touches = events.flatMap { decoder.feed($0) }
        #expect(touches == [.down(contact: 0, TouchPoint(x: 1269, y: 710)), .up(contact: 0, TouchPoint(x: 1269, y: 710))])
    }

    /// Both protocols report the same finger: it is one touch, not two.
    @Test func aPanelSendingBothReportsEachPressOnce() throws {
        let touches = try Recording.touches("egalax-empia-pcap.tap.events").map(\.0)
        #expect(Self.downs(touches).count == 1 && Self.ups(touches).count == 1)
    }

    @Test func garbageNeverUnbalancesTheTouches() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            var reader = InputEventReader()
            var decoder = TouchDecoder()
            var touches: [TouchEvent] = []
            var bytes = (0..<4800).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Some records with plausible types and codes, so the garbage reaches the protocols.
            for record in stride(from: 0, to: bytes.count - 24, by: 48) {
                bytes[record + 16] = [0, 1, 3].randomElement(using: &generator)!
                bytes[record + 17] = 0
                bytes[record + 18] = [0, 1, 2, 3, 0x2F, 0x35, 0x36, 0x39, 0x4A].randomElement(using: &generator)!
            }
            for chunk in stride(from: 0, to: bytes.count, by: 13) {
                for event in reader.feed(bytes[chunk..<min(chunk + 13, bytes.count)]) { touches += decoder.feed(event) }
            }
            touches += decoder.feed(InputEvent(type: 0, code: InputEvent.synDropped, value: 0))
            #expect(Self.balanced(touches))
        }
    }

    @Test func anEndlessFrameIsDropped() {
        var decoder = TouchDecoder()
        _ = decoder.feed(InputEvent(type: InputEvent.absolute, code: InputEvent.absMTTrackingID, value: 1))
        _ = decoder.feed(InputEvent(type: 0, code: InputEvent.synReport, value: 0))
        var out: [TouchEvent] = []
        for x in 0..<(TouchDecoder.maxFrame + 1) {
            out += decoder.feed(InputEvent(type: InputEvent.absolute, code: InputEvent.absMTPositionX, value: Int32(x)))
        }
        #expect(out == [.cancelled])
        #expect(decoder.feed(InputEvent(type: 0, code: InputEvent.synReport, value: 0)).isEmpty)
    }

    /// The wall clock stepped back an hour between two taps: the second is a tap, not a bounce; debounce still works after.
    @Test func aClockSteppedBackLeavesTapsWorking() {
        var taps = TapRecognizer()
        let a = TapRecognizer.Point(x: 500, y: 500)
        func tap(at time: Double) -> TapRecognizer.Gesture? {
            _ = taps.feed(.down(contact: 1, .init(x: 0, y: 0)), at: a, time: time)
            return taps.feed(.up(contact: 1, .init(x: 0, y: 0)), at: a, time: time + 0.05)
        }
        #expect(tap(at: 10_000) == .tapped(a))
        #expect(tap(at: 10_000 - 3600) == .tapped(a), "an hour back")
        #expect(tap(at: 10_000 - 3600 + 0.1) == .abandoned(drift: 0), "a bounce is still a bounce")
        #expect(tap(at: 10_000 - 3600 + 1) == .tapped(a))
    }

    @Test func aDeadPanelIsSaidOnceWithWhatWasSeen() throws {
        var decoder = TouchDecoder()
        var watch = PanelWatch()
        var lines: [String] = []
        // Positions and frames, but no tracking id and no BTN_TOUCH: nothing that makes a touch.
        for x in 0..<400 {
            for event in [
                InputEvent(type: InputEvent.absolute, code: InputEvent.absMTPositionX, value: Int32(x)),
                InputEvent(type: 0, code: InputEvent.synReport, value: 0),
            ] {
                _ = decoder.feed(event)
                if let line = watch.decoded(decoder.census) { lines.append(line) }
            }
        }
        #expect(lines.count == 1)
        #expect(lines.first?.contains("500 events in 250 frames") == true, "\(lines)")
        #expect(lines.first?.contains("0 touches") == true)

        var presses: [String] = []
        for _ in 0..<5 {
            if let line = watch.recognised(.abandoned(drift: 31), slopMillimetres: 20) { presses.append(line) }
        }
        #expect(
            presses == [
                "3 presses in a row ended without a tap (the finger drifted 31 mm, 31 mm, 31 mm; the slop is 20 mm off the button); "
                    + "check the calibration and touchSlopMillimetres"
            ])
    }
}
