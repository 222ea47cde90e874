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

/// Turns evdev events into touches: multitouch protocol B (slots and tracking ids) and single touch (ABS_X/Y with BTN_TOUCH
/// or BTN_LEFT) for panels without MT.
///
/// State changes are collected per frame and reported at SYN_REPORT. After SYN_DROPPED everything up to the next SYN_REPORT
/// is ignored and all contacts are cancelled: libevdev would re-read the slots with an ioctl, but a kiosk loses nothing by
/// asking the resident to touch again.
public struct TouchDecoder: Sendable {
    struct Slot: Sendable, Equatable {
        var tracking: Int32 = -1
        var point = TouchPoint(x: 0, y: 0)
    }

    /// Slots beyond this are ignored: panels report at most 10 fingers, and a hostile stream could ask for millions.
    public static let maxSlots = 16

    private var slots: [Slot] = Array(repeating: Slot(), count: maxSlots)
    private var reported: [Slot] = Array(repeating: Slot(), count: maxSlots)
    private var current = 0
    private var dropping = false
    private var multitouch = false
    // Single touch.
    private var single = Slot()
    private var singleReported = Slot()

    public init() {}

    public mutating func feed(_ event: InputEvent) -> [TouchEvent] {
        if dropping {
            if event.type == InputEvent.synchronization, event.code == InputEvent.synReport {
                dropping = false
                slots = Array(repeating: Slot(), count: Self.maxSlots)
                reported = slots
                single = Slot()
                singleReported = single
            }
            return []
        }
        switch (event.type, event.code) {
        case (InputEvent.synchronization, InputEvent.synDropped):
            dropping = true
            let active = reported.contains { $0.tracking >= 0 } || singleReported.tracking >= 0
            return active ? [.cancelled] : []
        case (InputEvent.synchronization, InputEvent.synReport):
            return report()
        case (InputEvent.absolute, InputEvent.absMTSlot):
            multitouch = true
            current = Int(event.value)
        case (InputEvent.absolute, InputEvent.absMTTrackingID):
            multitouch = true
            if slots.indices.contains(current) { slots[current].tracking = max(-1, event.value) }
        case (InputEvent.absolute, InputEvent.absMTPositionX):
            multitouch = true
            if slots.indices.contains(current) { slots[current].point.x = event.value }
        case (InputEvent.absolute, InputEvent.absMTPositionY):
            multitouch = true
            if slots.indices.contains(current) { slots[current].point.y = event.value }
        case (InputEvent.absolute, InputEvent.absX): single.point.x = event.value
        case (InputEvent.absolute, InputEvent.absY): single.point.y = event.value
        case (InputEvent.key, InputEvent.btnTouch), (InputEvent.key, InputEvent.btnLeft):
            single.tracking = event.value != 0 ? 0 : -1
        default: break
        }
        return []
    }

    private mutating func report() -> [TouchEvent] {
        var events: [TouchEvent] = []
        if multitouch {
            for index in slots.indices where slots[index] != reported[index] {
                events += Self.changes(from: reported[index], to: slots[index])
                reported[index] = slots[index]
            }
        } else if single != singleReported {
            events = Self.changes(from: singleReported, to: single)
            singleReported = single
        }
        return events
    }

    static func changes(from old: Slot, to new: Slot) -> [TouchEvent] {
        switch (old.tracking >= 0, new.tracking >= 0) {
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
