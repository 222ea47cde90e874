import Dispatch
public import KioskCore
public import KioskDevices
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The development and technician front: a ``Display`` that draws screens in the terminal kioskd runs in, and reads keys and
/// mouse clicks as resident events.
///
/// It puts the terminal in raw mode on the alternate screen with SGR mouse reporting, redraws on SIGWINCH, and puts
/// everything back on ``stop()`` (called on exit, SIGINT, SIGTERM and SIGHUP alike).
public final class TerminalFront: Display {
    public struct NotATerminal: Error, CustomStringConvertible {
        public var description: String { "the terminal front needs a terminal on standard input; use --front headless" }
    }

    private let controller = Mutex(TerminalController())
    private let saved: Mutex<termios?> = Mutex(nil)
    private let decoder = Mutex(InputDecoder())
    private let queue = DispatchQueue(label: "kioskd.terminal")
    private let sources = Mutex(Sources())
    private let continuation: AsyncStream<DeviceEvent>.Continuation
    private let onQuit: @Sendable () -> Void
    private let running = Mutex(false)
    public let events: AsyncStream<DeviceEvent>
    public let profile = DeviceProfile(
        id: "terminal", deviceClass: .display, driver: "terminal", description: "The terminal kioskd runs in")

    /// - parameters:
    ///   - onQuit: called when the operator presses Ctrl-C (raw mode swallows SIGINT) or the terminal closes.
    public init(onQuit: @escaping @Sendable () -> Void) {
        self.onQuit = onQuit
        (events, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(256))
    }

    public func status() async -> DeviceStatus { running.withLock { $0 } ? .online : DeviceStatus(state: .offline) }

    public var capabilities: [String: String] {
        let size = controller.withLock { $0.size }
        return ["size": "\(size.width)x\(size.height)", "input": "keys, SGR 1006 mouse", "output": "ANSI"]
    }

    /// Takes over the terminal.
    /// - throws: ``NotATerminal`` when standard input is not a terminal.
    public func start() throws {
        var original = termios()
        guard isatty(0) == 1, tcgetattr(0, &original) == 0 else { throw NotATerminal() }
        saved.withLock { $0 = original }
        var raw = original
        cfmakeraw(&raw)
        raw.c_oflag |= tcflag_t(OPOST | ONLCR)
        tcsetattr(0, TCSANOW, &raw)
        emit("\u{1B}[?1049h\u{1B}[?25l\u{1B}[?1000h\u{1B}[?1006h\u{1B}[2J")
        resize()

        let input = DispatchSource.makeReadSource(fileDescriptor: 0, queue: queue)
        input.setEventHandler { [weak self] in self?.readInput(input) }
        signal(SIGWINCH, SIG_IGN)
        let winch = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: queue)
        winch.setEventHandler { [weak self] in self?.resize() }
        sources.withLock { $0 = Sources(all: [input, winch]) }
        input.resume()
        winch.resume()
        running.withLock { $0 = true }
        continuation.yield(.status(.online))
    }

    /// Gives the terminal back as it was. Safe to call more than once.
    public func stop() {
        running.withLock { $0 = false }
        continuation.finish()
        for source in sources.withLock({ s in
            defer { s = Sources() }; return s
        }).all { source.cancel() }
        guard
            var original = saved.withLock({ s in
                defer { s = nil }; return s
            })
        else { return }
        emit("\u{1B}[0m\u{1B}[?1006l\u{1B}[?1000l\u{1B}[?25h\u{1B}[?1049l")
        tcsetattr(0, TCSANOW, &original)
    }

    public func show(_ screen: Screen) {
        queue.async { [self] in
            let frame = controller.withLock { $0.show(screen) }
            if running.withLock({ $0 }) { emit(frame.text) }
        }
    }

    // MARK: - Input

    private func readInput(_ source: any DispatchSourceRead) {
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = read(0, &buffer, buffer.count)
        if n < 0, errno == EINTR || errno == EAGAIN { return }
        guard n > 0 else {
            // End of input: the terminal went away. Stop listening rather than spin, and let the daemon shut down.
            source.cancel()
            onQuit()
            return
        }
        let inputs = decoder.withLock { $0.decode(buffer[0..<n]) }
        for input in inputs {
            let outcome = controller.withLock { $0.handle(input) }
            switch outcome {
            case .event(let event): continuation.yield(.resident(event))
            case .redraw:
                let (frame, focus) = controller.withLock { ($0.redraw(), $0.focused) }
                emit(frame.text)
                continuation.yield(.focus(focus))
            case .quit: onQuit()
            case .nothing: break
            }
        }
    }

    private func resize() {
        var size = winsize()
        let ok = ioctl(1, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0
        let width = ok ? Int(size.ws_col) : 80
        let height = ok ? Int(size.ws_row) : 24
        if let frame = controller.withLock({ $0.resize(width: width, height: height) }) {
            emit("\u{1B}[2J" + frame.text)
        }
    }

    private func emit(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 {
                if errno == EINTR { continue }
                return
            }
            offset += n
        }
    }
}

/// Dispatch sources are not `Sendable` in corelibs-dispatch. These are only created in `start()` and cancelled in `stop()`,
/// both under the `sources` lock, and cancelling a source is thread-safe, which is what makes this safe.
private struct Sources: @unchecked Sendable {
    var all: [any DispatchSourceProtocol] = []
}
