import CLinuxFB
public import Logging
import Synchronization
public import Touch

/// A sound card's headphone jack, as the kernel reports it: an evdev node with the switch SW_HEADPHONE_INSERT. A headset
/// plugged in starts speech mode (and lets personal data be said); pulled out, the kiosk goes silent. The state is read
/// when the node opens (EVIOCGSW) and followed from its events; a node that goes away (a USB sound card pulled) counts as
/// pulled. A FIFO carrying the same records serves the tests; it cannot be asked, and counts as empty until it says.
public final class HeadsetJack: Sendable {
    let device: EventDevice
    private let plugged = Mutex<Bool?>(nil)

    /// `path`: the node, or `auto` for the first sound card jack with a headphone switch (never a USB device's).
    public init(path: String, logger: Logger) {
        device = EventDevice(path: path, kind: "headset", logger: logger)
    }

    /// `onChange` hears each change, and the state found when the node opens.
    public func start(_ onChange: @escaping @Sendable (Bool) -> Void) {
        let report: @Sendable (Bool) -> Void = { [self] now in
            let changed = plugged.withLock { state in
                defer { state = now }
                return state != now
            }
            if changed { onChange(now) }
        }
        device.startRaw(
            opened: { fd in
                var bits = [UInt8](repeating: 0, count: 4)
                let known = kiosk_ev_switches(fd, &bits, Int32(bits.count)) >= 0
                report(known && bits[0] & (1 << InputEvent.headphoneInsert) != 0)
            },
            closed: { report(false) },
            { event in
                if let now = Self.plugged(by: event) { report(now) }
            })
    }

    public func stop() { device.stop() }

    /// Whether `event` says a headphone plug went in or out; nil for any other event.
    public static func plugged(by event: InputEvent) -> Bool? {
        guard event.type == InputEvent.switchEvent, event.code == InputEvent.headphoneInsert else { return nil }
        return event.value != 0
    }
}
