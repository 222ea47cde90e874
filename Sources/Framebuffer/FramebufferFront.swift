public import Foundation
public import KioskCore
public import KioskDevices
public import KioskDrawing
public import Logging
import Synchronization
public import Touch

/// The resident's screen: each ``Screen`` drawn with the ``ScreenRenderer`` into memory and copied to the framebuffer, and
/// touches turned into the actions of the buttons under them.
///
/// The pressed button is drawn before the action goes to the engine, so the resident sees the press at once. Keys of the
/// on-screen keyboard become typed characters. Without a touch panel, or with a broken calibration, the keyboard (the
/// terminal front is not running, but kioskctl press/type are) still drives everything.
public final class FramebufferFront: Display {
    public let profile = DeviceProfile(
        id: "framebuffer", deviceClass: .display, driver: "framebuffer", description: "The resident's touchscreen")
    public let events: AsyncStream<DeviceEvent>
    let continuation: AsyncStream<DeviceEvent>.Continuation
    let framebuffer: Framebuffer
    let renderer: ScreenRenderer
    let touch: EventDevice?
    let keyboard: EventDevice?
    /// The libinput-style matrix; the axis ranges come from the panel itself.
    let matrix: [Double]
    /// Swap and mirror the panel's axes (x, y), before the matrix.
    let axes: (swap: Bool, invertX: Bool, invertY: Bool)
    /// How the screen is mounted, clockwise: frames are drawn upright and turned on the way to the device.
    let rotation: Int
    let logger: Logger
    private let state = Mutex<Shown>(Shown())
    private let taps: Mutex<(recognizer: TapRecognizer, watch: PanelWatch)>
    /// The screen's pixel pitch in millimetres, for a panel that does not report its resolution.
    let pixelPitch: Double
    private let tally = Mutex<[String: Int]>(["frames": 0, "taps": 0])

    struct Shown: Sendable {
        var screen: Screen?
        var drawn = ScreenRenderer.Drawn()
        var frame: Raster?
        var liveness = FrontLiveness()
        /// The keypad's focus, and whether the keypad is in use (its ring shows).
        var focus = Focus()
        var keypad = false
        /// Redraws a busy screen with the indicator's next step until another screen comes.
        var spinner: Task<Void, Never>?
    }

    /// One frame at a time: the engine, a touch's pressed state and the busy indicator all draw.
    private let drawing = Mutex(0)

    public init(
        framebuffer: Framebuffer, theme: Theme, touch: EventDevice?, keyboard: EventDevice? = nil,
        matrix: [Double] = [1, 0, 0, 0, 1, 0], axes: (swap: Bool, invertX: Bool, invertY: Bool) = (false, false, false),
        rotation: Int = 0, font: String = "DejaVu Sans", slopMillimetres: Double = 20,
        pixelPitch: Double = TapRecognizer.defaultPixelPitch, logger: Logger
    ) {
        self.axes = axes
        self.pixelPitch = pixelPitch
        taps = Mutex((TapRecognizer(slopMillimetres: slopMillimetres, pixelsPerMillimetre: 1 / pixelPitch), PanelWatch()))
        self.keyboard = keyboard
        self.framebuffer = framebuffer
        self.rotation = rotation
        let g = framebuffer.geometry
        let turned = rotation % 180 == 90
        var renderer = ScreenRenderer(
            width: Double(turned ? g.height : g.width), height: Double(turned ? g.width : g.height), theme: theme)
        renderer.family = font
        self.renderer = renderer
        self.touch = touch
        self.matrix = matrix
        self.logger = logger
        (events, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(256))
        touch?.start { [weak self] event, time in self?.touched(event, time) }
        keyboard?.startRaw { [weak self] event in self?.typed(event) }
    }

    public func status() async -> DeviceStatus { .online }

    public var capabilities: [String: String] {
        let g = framebuffer.geometry
        var capabilities = [
            "framebuffer": "\(g.width)×\(g.height), \(g.bitsPerPixel) bpp, line \(g.lineLength) bytes",
            "theme": renderer.theme.name,
        ]
        capabilities["touch"] = touch?.path ?? "none"
        capabilities["keyboard"] = keyboard?.path ?? "none"
        return capabilities
    }

    public var counters: [String: Int] { tally.withLock { $0 } }

    /// Stops listening to the panel and gives the screen back to the console.
    public func stop() {
        state.withLock { $0.spinner }?.cancel()
        touch?.stop()
        keyboard?.stop()
        framebuffer.restoreConsole()
    }

    public func show(_ screen: Screen) {
        let spinner = state.withLock { shown in
            shown.liveness.askedAt = Date().timeIntervalSince1970
            defer { shown.spinner = nil }
            return shown.spinner
        }
        spinner?.cancel()
        draw(screen, pressed: nil)
        guard screen.busy else { return }
        let task = Task { [weak self] in
            var tick = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                guard let self else { return }
                tick += 1
                // Checked under the drawing lock: a new screen drawn meanwhile must never be painted over.
                let still = self.drawing.withLock { _ in
                    guard !Task.isCancelled, self.state.withLock({ $0.screen == screen }) else { return false }
                    self.render(screen, pressed: nil, tick: tick)
                    return true
                }
                if !still { return }
            }
        }
        state.withLock { $0.spinner = task }
    }

    public var liveness: FrontLiveness {
        state.withLock {
            var liveness = $0.liveness
            liveness.hasTouch = touch != nil
            return liveness
        }
    }

    /// The frame on the screen now, as PNG (`kioskctl screenshot`).
    public func screenshot() throws -> Data {
        guard let frame = state.withLock({ $0.frame }) else {
            throw Framebuffer.FramebufferError(description: "nothing shown yet")
        }
        return try frame.png()
    }

    private func draw(_ screen: Screen, pressed: ScreenRenderer.Target?, tick: Int = 0) {
        drawing.withLock { _ in render(screen, pressed: pressed, tick: tick) }
    }

    private func render(_ screen: Screen, pressed: ScreenRenderer.Target?, tick: Int) {
        var drawn = ScreenRenderer.Drawn()
        // The keypad's focus, shown once the keypad is used (a touch hides it again); carried to a new screen.
        let focused = state.withLock { shown -> ScreenRenderer.Target? in
            shown.focus = shown.focus.carried(from: shown.screen, to: screen)
            guard shown.keypad, let button = shown.focus.button(on: screen) else { return nil }
            return .action(button.action)
        }
        do {
            let frame = try Raster.render(width: Int(renderer.width), height: Int(renderer.height)) {
                drawn = renderer.draw(screen, on: $0, pressed: pressed, focused: focused, tick: tick)
            }
            framebuffer.show(frame, rotated: rotation)
            state.withLock {
                $0.screen = screen
                $0.drawn = drawn
                $0.frame = frame
                $0.liveness.drawnAt = Date().timeIntervalSince1970
            }
            tally.withLock { $0["frames", default: 0] += 1 }
        } catch {
            logger.error("framebuffer: \(error)")
        }
    }

    private func typed(_ event: InputEvent) {
        let (screen, outcome, focus) = state.withLock { shown -> (Screen?, KeyboardMapping.Outcome, Focus) in
            guard let screen = shown.screen else { return (nil, .nothing, shown.focus) }
            let outcome = KeyboardMapping.handle(event, on: screen, focus: &shown.focus)
            if outcome == .moved { shown.keypad = true }
            return (screen, outcome, shown.focus)
        }
        switch outcome {
        case .event(let mapped): continuation.yield(.resident(mapped))
        case .moved:
            if let screen { draw(screen, pressed: nil) }
            continuation.yield(.focus(focus))
        case .nothing: break
        }
    }

    private func touched(_ event: TouchEvent, _ time: Double) {
        guard let touch else { return }
        state.withLock {
            $0.liveness.touchedAt = Date().timeIntervalSince1970
            $0.keypad = false
        }
        let axes = touch.axes
        var calibration = Calibration(
            x: axes.x, y: axes.y, screenWidth: renderer.width, screenHeight: renderer.height)
        calibration.matrix = matrix
        calibration.swapXY = self.axes.swap
        calibration.invertX = self.axes.invertX
        calibration.invertY = self.axes.invertY
        let point: TapRecognizer.Point? =
            switch event {
            case .down(_, let p), .move(_, let p), .up(_, let p): calibration.screenPoint(p)
            case .cancelled: nil
            }
        let (screen, drawn) = state.withLock { ($0.screen, $0.drawn) }
        let scale = pixelsPerMillimetre(touch, calibration)
        let (gesture, line) = taps.withLock { taps -> (TapRecognizer.Gesture?, String?) in
            taps.recognizer.pixelsPerMillimetre = scale
            let gesture = taps.recognizer.feed(event, at: point, time: time) { a, b in
                drawn.target(x: a.x, y: a.y).map { $0 == drawn.target(x: b.x, y: b.y) } ?? false
            }
            return (gesture, gesture.flatMap { taps.watch.recognised($0, slopMillimetres: taps.recognizer.slopMillimetres) })
        }
        if let line { logger.warning("touch: \(line)") }
        guard let screen, let gesture else { return }
        switch gesture {
        case .pressed(let at):
            if let target = drawn.target(x: at.x, y: at.y) { draw(screen, pressed: target) }
        case .abandoned:
            draw(screen, pressed: nil)
        case .tapped(let at):
            guard let target = drawn.target(x: at.x, y: at.y) else { return }
            tally.withLock { $0["taps", default: 0] += 1 }
            // Released first: the engine redraws only when the screen changes, and a key press does not change it.
            draw(screen, pressed: nil)
            switch target {
            case .action(let action): continuation.yield(.resident(.action(action)))
            case .key(let key): continuation.yield(.resident(.typed(key)))
            case .erase: continuation.yield(.resident(.erase))
            }
        }
    }

    /// Screen pixels per millimetre of finger travel: from the panel's resolution where it reports one, else the pitch.
    private func pixelsPerMillimetre(_ touch: EventDevice, _ calibration: Calibration) -> Double {
        let resolution = touch.resolution
        guard resolution.x > 0, resolution.y > 0 else { return 1 / pixelPitch }
        let spanX = Double(calibration.x.max) - Double(calibration.x.min)
        let spanY = Double(calibration.y.max) - Double(calibration.y.min)
        guard spanX > 0, spanY > 0 else { return 1 / pixelPitch }
        // The panel's x runs along the screen's width unless the axes are swapped.
        let (alongX, alongY) =
            axes.swap ? (calibration.screenHeight, calibration.screenWidth) : (calibration.screenWidth, calibration.screenHeight)
        return (alongX / spanX * Double(resolution.x) + alongY / spanY * Double(resolution.y)) / 2
    }
}
