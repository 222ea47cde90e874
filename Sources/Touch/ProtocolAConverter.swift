import CMtdev
import Glibc

/// Multitouch protocol A (anonymous contacts, each closed by SYN_MT_REPORT; N-Trig and other older panels) turned into
/// protocol B (slots and tracking ids) by mtdev, the converter the Linux input stack uses. mtdev matches the contacts of
/// one frame to the last frame's, so a finger keeps its tracking id while it moves.
///
/// Fed through mtdev's plumbing API event by event, with the axis ranges given, so a recording or a FIFO converts the same
/// way as a device node. Non-MT events (ABS_X, BTN_TOUCH) come out in the frame as they went in.
final class ProtocolAConverter: @unchecked Sendable {
    private let device: UnsafeMutablePointer<mtdev>

    init?(x: (min: Int32, max: Int32), y: (min: Int32, max: Int32)) {
        guard let device = mtdev_new() else { return nil }
        guard mtdev_init(device) == 0 else {
            mtdev_delete(device)
            return nil
        }
        self.device = device
        for (code, range) in [(ABS_MT_POSITION_X, x), (ABS_MT_POSITION_Y, y)] {
            mtdev_set_mt_event(device, code, 1)
            mtdev_set_abs_minimum(device, code, range.min)
            mtdev_set_abs_maximum(device, code, range.max)
        }
        for code in [ABS_MT_TOUCH_MAJOR, ABS_MT_TOUCH_MINOR, ABS_MT_WIDTH_MAJOR, ABS_MT_WIDTH_MINOR, ABS_MT_ORIENTATION] {
            mtdev_set_mt_event(device, code, 1)
        }
    }

    deinit {
        mtdev_close(device)
        mtdev_delete(device)
    }

    /// Puts one event in; returns what mtdev has ready (a whole converted frame after SYN_REPORT, else nothing).
    func convert(_ event: InputEvent) -> [InputEvent] {
        var raw = input_event()
        raw.time.tv_sec = Int(truncatingIfNeeded: event.seconds)
        raw.time.tv_usec = Int(truncatingIfNeeded: event.microseconds)
        raw.type = event.type
        raw.code = event.code
        raw.value = event.value
        mtdev_put_event(device, &raw)
        var out: [InputEvent] = []
        while mtdev_empty(device) == 0 {
            var converted = input_event()
            mtdev_get_event(device, &converted)
            out.append(
                InputEvent(
                    seconds: Int64(converted.time.tv_sec), microseconds: Int64(converted.time.tv_usec), type: converted.type,
                    code: converted.code, value: converted.value))
        }
        return out
    }
}
