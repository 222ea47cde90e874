import Glibc

/// Wakes when a device directory (/dev/input) changes: a node made (inotify's IN_CREATE) or its owner and mode set
/// (IN_ATTRIB, which udev does just after). So a keyboard or a headset jack plugged in is taken within milliseconds, not
/// at the next poll: a keyboard in the cabinet is grabbed before it can type at the console. Where inotify cannot watch
/// the directory, it waits a second, as a poll.
final class NodeWatch: Sendable {
    private let fd: Int32

    /// Watch `directory` from now on: a change between now and the next ``wait()`` is not missed.
    init(directory: String) {
        let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        if fd >= 0, inotify_add_watch(fd, directory, UInt32(IN_CREATE | IN_ATTRIB | IN_MOVED_TO)) < 0 {
            close(fd)
            self.fd = -1
        } else {
            self.fd = fd
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Whether inotify watches the directory (false: ``wait()`` is a one-second poll).
    var watching: Bool { fd >= 0 }

    /// Waits until the directory changed (true), or the rescan time passed (false): 10 s with inotify, as a safety net,
    /// or 1 s without. The changes that come together (udev makes a node, then sets its group) are taken as one, 100 ms
    /// after the first, which also bounds how often a flood of changes makes the caller look again.
    @discardableResult
    func wait() -> Bool {
        guard fd >= 0 else {
            usleep(1_000_000)
            return false
        }
        var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let count = poll(&ready, 1, 10_000)
        guard count > 0 else { return false }
        usleep(100_000)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while read(fd, &buffer, buffer.count) > 0 {}
        return true
    }
}
