import CLinuxFB
import Glibc

/// The text console under the kiosk's screen, taken as Weston and Xorg take it, and given back as it was.
///
/// Taken: graphics mode (no cursor, no text drawn over the frame), the keyboard off (K_OFF: keys typed on a plugged-in
/// keyboard reach no shell, and Ctrl-Alt-Del does not reboot), and VT switching locked (Ctrl-Alt-Fn stays on the kiosk).
/// SysRq is the kernel's and is turned off by `Kiosk/90-kiosk-sysrq.conf`. Each step that the console refuses is skipped;
/// what was changed is undone on ``restore()``.
final class Console: Sendable {
    let fd: Int32
    let keyboardMode: Int32?
    let switchLocked: Bool

    private init(fd: Int32, keyboardMode: Int32?, switchLocked: Bool) {
        self.fd = fd
        self.keyboardMode = keyboardMode
        self.switchLocked = switchLocked
    }

    /// Nil when there is no console to take (no /dev/tty0, or it refuses graphics mode).
    static func take(_ path: String = "/dev/tty0") -> Console? {
        let tty = open(path, O_RDWR | O_CLOEXEC)
        guard tty >= 0 else { return nil }
        guard kiosk_kd_set_mode(tty, Int32(KD_GRAPHICS)) == 0 else {
            close(tty)
            return nil
        }
        var mode: Int32 = 0
        let previous = kiosk_kd_get_keyboard(tty, &mode) == 0 && kiosk_kd_set_keyboard(tty, Int32(K_OFF)) == 0 ? mode : nil
        return Console(fd: tty, keyboardMode: previous, switchLocked: kiosk_vt_lock_switch(tty, 1) == 0)
    }

    func restore() {
        if switchLocked { _ = kiosk_vt_lock_switch(fd, 0) }
        if let keyboardMode { _ = kiosk_kd_set_keyboard(fd, keyboardMode) }
        _ = kiosk_kd_set_mode(fd, Int32(KD_TEXT))
    }
}
