/// A point on the touch panel, in the device's own units (before calibration).
public struct TouchPoint: Sendable, Equatable {
    public var x: Int32
    public var y: Int32

    public init(x: Int32, y: Int32) {
        self.x = x
        self.y = y
    }
}

/// What a finger did, reported once per frame (SYN_REPORT).
public enum TouchEvent: Sendable, Equatable {
    case down(contact: Int32, TouchPoint)
    case move(contact: Int32, TouchPoint)
    case up(contact: Int32, TouchPoint)
    /// The kernel dropped events (SYN_DROPPED): every contact is lifted, nothing partial is acted on.
    case cancelled
}

/// Turns evdev events into touches, whatever the panel speaks:
///
/// - multitouch protocol B (slots and tracking ids);
/// - multitouch protocol A (SYN_MT_REPORT after each contact, no ids), converted to B by mtdev (``ProtocolAConverter``);
/// - single touch (ABS_X/Y with BTN_TOUCH or BTN_LEFT).
///
/// Many panels send multitouch and single touch side by side. Each press is followed in the best protocol that reports
/// it: multitouch when its contacts move, else single touch, so a panel whose multitouch reports no contact (no tracking
/// ids, a driver quirk) still works. Events are taken a frame (up to SYN_REPORT) at a time.
///
/// After SYN_DROPPED everything up to the next SYN_REPORT is ignored and all contacts are cancelled: libevdev would
/// re-read the slots with an ioctl, but a kiosk loses nothing by asking the resident to touch again. A frame longer than
/// ``maxFrame`` events counts as dropped too.
public struct TouchDecoder: Sendable {
    struct Slot: Sendable, Equatable {
        var tracking: Int32 = -1
        var point = TouchPoint(x: 0, y: 0)
        var active: Bool { tracking >= 0 }
    }

    /// What the decoder has seen, for the line a technician reads when a panel gives no touch.
    public struct Census: Sendable, Equatable {
        public var events = 0
        public var frames = 0
        public var protocolAFrames = 0
        public var slotEvents = 0
        public var trackingIDs = 0
        public var singleTouchPresses = 0
        public var dropped = 0
        public var touches = 0

        public var summary: String {
            "\(events) events in \(frames) frames: \(protocolAFrames) protocol A, \(slotEvents) slot and \(trackingIDs) "
                + "tracking-id events, \(singleTouchPresses) single-touch presses, \(dropped) SYN_DROPPED, \(touches) touches"
        }
    }

    enum Mode: Sendable { case idle, multi, single }

    /// Slots beyond this are ignored: panels report at most 10 fingers, and a hostile stream could ask for millions.
    public static let maxSlots = 16
    /// A frame longer than this is no panel's: it is dropped as SYN_DROPPED is.
    public static let maxFrame = 1024

    private var slots: [Slot] = Array(repeating: Slot(), count: maxSlots)
    private var reported: [Slot] = Array(repeating: Slot(), count: maxSlots)
    private var current = 0
    private var single = Slot()
    private var singleReported = Slot()
    private var mode = Mode.idle
    private var frame: [InputEvent] = []
    private var dropping = false
    private var protocolA = false
    private var converter: ProtocolAConverter?
    private let axes: (x: (min: Int32, max: Int32), y: (min: Int32, max: Int32))
    public private(set) var census = Census()

    /// - parameter axes: the panel's multitouch ranges, which mtdev needs for protocol A.
    public init(axes: (x: (min: Int32, max: Int32), y: (min: Int32, max: Int32)) = ((0, 4095), (0, 4095))) {
        self.axes = axes
    }

    public mutating func feed(_ event: InputEvent) -> [TouchEvent] {
        census.events += 1
        switch (event.type, event.code) {
        case (InputEvent.synchronization, InputEvent.synDropped):
            return drop()
        case (InputEvent.synchronization, InputEvent.synReport):
            defer { frame = [] }
            if dropping {
                dropping = false
                reset()
                return []
            }
            census.frames += 1
            return decode(frame + [event])
        default:
            guard !dropping else { return [] }
            frame.append(event)
            return frame.count > Self.maxFrame ? drop() : []
        }
    }

    /// Events were lost: everything up to the next SYN_REPORT is ignored, and the contacts are cancelled.
    private mutating func drop() -> [TouchEvent] {
        census.dropped += 1
        dropping = true
        frame = []
        // mtdev's contacts are as stale as ours.
        converter = nil
        let active = reported.contains(where: \.active) || singleReported.active
        return active ? [.cancelled] : []
    }

    private mutating func reset() {
        slots = Array(repeating: Slot(), count: Self.maxSlots)
        reported = slots
        single = Slot()
        singleReported = single
        mode = .idle
    }

    /// One whole frame, ending in its SYN_REPORT.
    private mutating func decode(_ events: [InputEvent]) -> [TouchEvent] {
        if !protocolA, events.contains(where: { $0.type == InputEvent.synchronization && $0.code == InputEvent.synMTReport }),
            !events.contains(where: { $0.type == InputEvent.absolute && $0.code == InputEvent.absMTSlot })
        {
            protocolA = true
        }
        var plain = events
        if protocolA {
            census.protocolAFrames += 1
            if converter == nil { converter = ProtocolAConverter(x: axes.x, y: axes.y) }
            if let converter { plain = events.flatMap { converter.convert($0) } }
        }
        for event in plain { apply(event) }
        return report()
    }

    private mutating func apply(_ event: InputEvent) {
        switch (event.type, event.code) {
        case (InputEvent.absolute, InputEvent.absMTSlot):
            census.slotEvents += 1
            current = Int(event.value)
        case (InputEvent.absolute, InputEvent.absMTTrackingID):
            census.trackingIDs += 1
            if slots.indices.contains(current) { slots[current].tracking = max(-1, event.value) }
        case (InputEvent.absolute, InputEvent.absMTPositionX):
            if slots.indices.contains(current) { slots[current].point.x = event.value }
        case (InputEvent.absolute, InputEvent.absMTPositionY):
            if slots.indices.contains(current) { slots[current].point.y = event.value }
        case (InputEvent.absolute, InputEvent.absX): single.point.x = event.value
        case (InputEvent.absolute, InputEvent.absY): single.point.y = event.value
        case (InputEvent.key, InputEvent.btnTouch), (InputEvent.key, InputEvent.btnLeft):
            let down = event.value != 0
            if down, !single.active { census.singleTouchPresses += 1 }
            single.tracking = down ? 0 : -1
        default: break
        }
    }

    /// The frame's changes in the press's protocol; the other protocol's state is taken as seen, so it cannot replay later.
    private mutating func report() -> [TouchEvent] {
        var multi: [TouchEvent] = []
        for index in slots.indices where slots[index] != reported[index] {
            multi += Self.changes(from: reported[index], to: slots[index])
        }
        let alone = single != singleReported ? Self.changes(from: singleReported, to: single) : []
        // A press starts with a finger coming down; a lone lift or move of the other protocol starts nothing.
        func starts(_ events: [TouchEvent]) -> Bool { events.contains { if case .down = $0 { true } else { false } } }
        if mode == .idle { mode = starts(multi) ? .multi : starts(alone) ? .single : .idle }
        let events: [TouchEvent]
        switch mode {
        case .multi: events = multi
        case .single: events = alone
        case .idle: events = []
        }
        reported = slots
        singleReported = single
        if (mode == .multi && !slots.contains(where: \.active)) || (mode == .single && !single.active) { mode = .idle }
        census.touches += events.filter { if case .down = $0 { true } else { false } }.count
        return events
    }

    static func changes(from old: Slot, to new: Slot) -> [TouchEvent] {
        switch (old.active, new.active) {
        case (false, true): return [.down(contact: new.tracking, new.point)]
        case (true, false): return [.up(contact: old.tracking, new.point)]
        case (true, true) where old.tracking != new.tracking:
            // A new finger took the slot within one frame: the old one lifted.
            return [.up(contact: old.tracking, old.point), .down(contact: new.tracking, new.point)]
        case (true, true): return new.point != old.point ? [.move(contact: new.tracking, new.point)] : []
        case (false, false): return []
        }
    }
}
