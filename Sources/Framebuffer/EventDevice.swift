import CLinuxFB
import Dispatch
import Foundation
import Glibc
public import Logging
import Synchronization
public import Touch

/// An input device on its /dev/input/event* node, read on a thread of its own: a touch panel (`start`, decoded touches in
/// panel units) or a keyboard (`startRaw`, the events as they come). `auto` finds the first node that reports absolute
/// positions (for a keyboard: it holds every keyboard, each grabbed); a FIFO carrying the same records serves the tests.
/// The axis ranges come from EVIOCGABS, or the given ones on a node that does not answer it. A device that goes away
/// (unplugged, or the FIFO's writer closed) is opened again as soon as its node is back (``NodeWatch``), with one log
/// line each way, so the kiosk keeps serving meanwhile.
public final class EventDevice: Sendable {
    /// What the device is, for the log lines ("touch", "keyboard").
    let kind: String
    public let path: String
    let fallback: (x: (min: Int32, max: Int32), y: (min: Int32, max: Int32))
    let logger: Logger
    let stopped = Atomic(false)
    private let ranges: Mutex<(x: (min: Int32, max: Int32), y: (min: Int32, max: Int32))>
    /// Units per millimetre on each axis, as the device reports them (EVIOCGABS); 0 where it does not.
    private let resolutions = Mutex<(x: Int32, y: Int32)>((0, 0))

    public init(
        path: String, ranges: (x: (min: Int32, max: Int32), y: (min: Int32, max: Int32)) = ((0, 4095), (0, 4095)),
        kind: String = "touch", logger: Logger
    ) {
        self.path = path
        self.kind = kind
        fallback = ranges
        self.ranges = Mutex(ranges)
        self.logger = logger
    }

    /// The panel's axis ranges as last read from the device.
    public var axes: (x: (min: Int32, max: Int32), y: (min: Int32, max: Int32)) { ranges.withLock { $0 } }
    public var resolution: (x: Int32, y: Int32) { resolutions.withLock { $0 } }

    /// Touches, decoded from the device's events. A panel whose events never make a touch is logged once, with what the
    /// decoder saw.
    public func start(_ onTouch: @escaping @Sendable (TouchEvent, Double) -> Void) {
        let decoder = Mutex<(decoder: TouchDecoder?, watch: PanelWatch)>((nil, PanelWatch()))
        startRaw { [self] event in
            let time = Double(event.seconds) + Double(event.microseconds) / 1e6
            let (touches, line) = decoder.withLock { state in
                // Made at the first event, when the ranges have been read from the device (mtdev needs them).
                var current = state.decoder ?? TouchDecoder(axes: axes)
                let touches = current.feed(event)
                state.decoder = current
                return (touches, state.watch.decoded(current.census))
            }
            if let line { logger.warning("\(kind) \(path): \(line)") }
            for touch in touches { onTouch(touch, time) }
        }
    }

    /// The device's events as they come (a keyboard's keys, say). `auto` for a keyboard takes every keyboard there is.
    /// `opened` hears each time the node is opened (with its descriptor, to ask it its state) and `closed` each time it
    /// went away.
    public func startRaw(
        opened: @escaping @Sendable (Int32) -> Void = { _ in }, closed: @escaping @Sendable () -> Void = {},
        _ onEvent: @escaping @Sendable (InputEvent) -> Void
    ) {
        if path == "auto" && kind == "keyboard" {
            startEveryKeyboard(onEvent)
            return
        }
        Thread.detachNewThread { [self] in
            let watch = NodeWatch(directory: path == "auto" ? "/dev/input" : (path as NSString).deletingLastPathComponent)
            var announced = false
            while !stopped.load(ordering: .relaxed) {
                guard let node = path == "auto" ? (kind == "headset" ? Self.findHeadphoneJack() : Self.find()) : path else {
                    if !announced {
                        let what = ["keyboard": "keyboard", "headset": "headphone jack"][kind] ?? "touch panel"
                        logger.warning("\(kind): no \(what) found in /dev/input; waiting for one")
                    }
                    announced = true
                    watch.wait()
                    continue
                }
                let fd = open(node, O_RDONLY)
                guard fd >= 0 else {
                    if !announced { logger.warning("\(kind) \(node): \(String(cString: strerror(errno))); trying again") }
                    announced = true
                    watch.wait()
                    continue
                }
                announced = false
                ranges.withLock { $0 = Self.axes(fd) ?? fallback }
                resolutions.withLock { $0 = Self.resolution(fd) }
                // Times on CLOCK_MONOTONIC, as libinput asks: the wall clock steps (NTP, a wrong RTC) and a tap after a step
                // back would look like a bounce. A FIFO cannot be asked, and its writer gives the times.
                let clock = kiosk_ev_clock(fd, CLOCK_MONOTONIC)
                logger.info("\(kind) \(node) open\(clock == 0 ? ", event times on CLOCK_MONOTONIC" : "")")
                // A jack is only listened to: the sound system may want it too.
                if kind != "headset" { Self.grab(fd, kind: kind, node: node, logger: logger) }
                opened(fd)
                read(fd, onEvent)
                close(fd)
                closed()
                if !stopped.load(ordering: .relaxed) { logger.warning("\(kind) \(node) went away; waiting for it") }
                usleep(200_000)
            }
        }
    }

    public func stop() { stopped.store(true, ordering: .relaxed) }

    /// Every keyboard on the machine, each grabbed and read on a thread of its own, and any plugged in later as soon as
    /// its node appears: a second keyboard in the cabinet must not reach the console either. Their keys all drive the
    /// kiosk.
    private func startEveryKeyboard(_ onEvent: @escaping @Sendable (InputEvent) -> Void) {
        let held = Mutex<Set<String>>([])
        Thread.detachNewThread { [self] in
            let watch = NodeWatch(directory: "/dev/input")
            var announced = false
            while !stopped.load(ordering: .relaxed) {
                let nodes = Self.nodes { Self.isKeyboard($0) }
                if nodes.isEmpty, held.withLock({ $0.isEmpty }), !announced {
                    logger.warning("keyboard: no keyboard found in /dev/input; waiting for one")
                    announced = true
                }
                for node in nodes where held.withLock({ $0.insert(node).inserted }) {
                    announced = false
                    Thread.detachNewThread { [self] in
                        holdKeyboard(node, onEvent)
                        held.withLock { _ = $0.remove(node) }
                    }
                }
                watch.wait()
            }
        }
    }

    /// One keyboard, grabbed, until it goes away or kioskd stops.
    private func holdKeyboard(_ node: String, _ onEvent: @Sendable (InputEvent) -> Void) {
        let fd = open(node, O_RDONLY)
        guard fd >= 0 else { return }
        logger.info("keyboard \(node) open")
        Self.grab(fd, kind: kind, node: node, logger: logger)
        read(fd, onEvent)
        close(fd)
        if !stopped.load(ordering: .relaxed) { logger.warning("keyboard \(node) went away") }
    }

    private func read(_ fd: Int32, _ onEvent: @Sendable (InputEvent) -> Void) {
        var reader = InputEventReader()
        var buffer = [UInt8](repeating: 0, count: 24 * 64)
        while !stopped.load(ordering: .relaxed) {
            let count = Glibc.read(fd, &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            for event in reader.feed(buffer[0..<count]) { onEvent(event) }
        }
    }

    /// The first /dev/input/event* node that reports absolute positions (a touch panel, not a mouse or a keyboard).
    static func find() -> String? { firstNode { axes($0) != nil } }

    /// The first /dev/input/event* node that is a sound card's headphone jack.
    static func findHeadphoneJack() -> String? {
        firstNode { fd in
            var bits = [UInt8](repeating: 0, count: 4)
            var phys = [CChar](repeating: 0, count: 64)
            guard kiosk_ev_bits(fd, Int32(InputEvent.switchEvent), &bits, Int32(bits.count)) >= 0,
                kiosk_ev_phys(fd, &phys, Int32(phys.count - 1)) >= 0
            else { return false }
            return isHeadphoneJack(switchBits: bits, phys: String(cString: phys))
        }
    }

    /// A headphone switch on a sound card's jack. The kernel's sound core names its jacks' phys "ALSA"; a USB device's
    /// phys is its port, which the device cannot choose. So a programmable USB stick that declares a headphone switch is
    /// not taken for a headset, which would let the kiosk say personal data over the loudspeaker.
    static func isHeadphoneJack(switchBits bits: [UInt8], phys: String) -> Bool {
        phys == "ALSA" && !bits.isEmpty && bits[0] & (1 << InputEvent.headphoneInsert) != 0
    }

    /// Whether an open node has letter keys and Enter (a keyboard, not a power button or a touch panel).
    static func isKeyboard(_ fd: Int32) -> Bool {
        var bits = [UInt8](repeating: 0, count: 96)
        return kiosk_ev_bits(fd, 1, &bits, Int32(bits.count)) >= 0 && isKeyboard(keyBits: bits)
    }

    /// The first /dev/input/event* node, in name order, that `matches` (given the node opened read-only).
    static func firstNode(where matches: (Int32) -> Bool) -> String? { nodes(where: matches).first }

    /// Every /dev/input/event* node, in name order, that `matches`.
    static func nodes(where matches: (Int32) -> Bool) -> [String] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/dev/input") else { return [] }
        return entries.filter { $0.hasPrefix("event") }.sorted().compactMap { name in
            let fd = open("/dev/input/" + name, O_RDONLY | O_NONBLOCK)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            return matches(fd) ? "/dev/input/" + name : nil
        }
    }

    /// Whether a node's EV_KEY bitmap has what a staff keyboard needs: the letters A to Z, the digits, Enter and Escape.
    static func isKeyboard(keyBits bits: [UInt8]) -> Bool {
        func has(_ code: Int) -> Bool { code / 8 < bits.count && bits[code / 8] & (1 << (code % 8)) != 0 }
        let letters = [30, 48, 46, 32, 18, 33, 34, 35, 23, 36, 37, 38, 50, 49, 24, 25, 16, 19, 31, 20, 22, 47, 17, 45, 21, 44]
        return letters.allSatisfy(has) && (2...11).allSatisfy(has) && has(28) && has(1)
    }

    /// Takes the device for kioskd alone (EVIOCGRAB), so its keys and touches reach no console or other program; closing
    /// the node lets go. A FIFO or a file has nothing to grab; a device another program holds is said once.
    static func grab(_ fd: Int32, kind: String, node: String, logger: Logger) {
        var stats = stat()
        guard fstat(fd, &stats) == 0, (stats.st_mode & S_IFMT) == S_IFCHR else { return }
        if kiosk_ev_grab(fd, 1) != 0 {
            logger.warning(
                "\(kind) \(node): cannot take it for kioskd alone (\(String(cString: strerror(errno)))); its events also reach the console"
            )
        }
    }

    /// The resolution (units per millimetre) of the axes ``axes(_:)`` reads, 0 where the device does not say.
    static func resolution(_ fd: Int32) -> (x: Int32, y: Int32) {
        func resolution(_ axis: UInt16) -> Int32? {
            var info = input_absinfo()
            guard kiosk_ev_abs(fd, Int32(axis), &info) == 0, info.maximum > info.minimum else { return nil }
            return max(0, info.resolution)
        }
        if let x = resolution(InputEvent.absMTPositionX), let y = resolution(InputEvent.absMTPositionY) { return (x, y) }
        return (resolution(InputEvent.absX) ?? 0, resolution(InputEvent.absY) ?? 0)
    }

    /// ABS_MT_POSITION_X/Y, or ABS_X/Y for single-touch panels; nil when the node does not answer (not an evdev node).
    static func axes(_ fd: Int32) -> (x: (min: Int32, max: Int32), y: (min: Int32, max: Int32))? {
        func range(_ axis: UInt16) -> (min: Int32, max: Int32)? {
            var info = input_absinfo()
            guard kiosk_ev_abs(fd, Int32(axis), &info) == 0, info.maximum > info.minimum else { return nil }
            return (info.minimum, info.maximum)
        }
        if let x = range(InputEvent.absMTPositionX), let y = range(InputEvent.absMTPositionY) { return (x, y) }
        if let x = range(InputEvent.absX), let y = range(InputEvent.absY) { return (x, y) }
        return nil
    }
}
