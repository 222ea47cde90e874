public import KioskCore

/// The terminal front's memory between frames: the screen on show, which button has the focus, and where buttons were drawn.
///
/// It maps keys and clicks to kiosk events: digits press numbered buttons (when no input field takes them), Tab and the arrows
/// move the focus, Enter presses the focused button or submits the field, Esc is back, F2 language, F3 call staff, F4 stop,
/// F5 reads aloud (or stops), F6 says the screen again, F7 and F8 make speech softer and louder.
public struct TerminalController: Sendable {
    public enum Outcome: Sendable, Equatable {
        case event(KioskEvent)
        case redraw
        case quit
        case nothing
    }

    public private(set) var screen: Screen?
    /// Which control has the focus (the model the touchscreen's keypad shares).
    public private(set) var focused = Focus()
    /// Index into `buttons + chrome`; nil while the input field has the focus.
    public var focus: Int? { focused.index }
    private var hits: [HitBox] = []
    public private(set) var size = (width: 80, height: 24)

    public init() {}

    /// Renders a new screen; keeps the focus only when it is the same screen with new details.
    public mutating func show(_ next: Screen) -> TerminalRenderer.Frame {
        focused = focused.carried(from: screen, to: next)
        screen = next
        return redraw()
    }

    public mutating func resize(width: Int, height: Int) -> TerminalRenderer.Frame? {
        size = (width, height)
        return screen == nil ? nil : redraw()
    }

    public mutating func redraw() -> TerminalRenderer.Frame {
        let frame = TerminalRenderer.render(
            screen ?? Screen(language: .nl, title: ""), focus: focus, width: size.width, height: size.height)
        hits = frame.hits
        return frame
    }

    public mutating func handle(_ input: TerminalInput) -> Outcome {
        guard let screen else { return .nothing }
        let focusable = screen.buttons + screen.chrome
        func press(_ action: Action) -> Outcome { screen.offers(action) ? .event(.action(action)) : .nothing }
        if screen.warning != nil, case .key(.enter) = input { return press(.keepGoing) }
        switch input {
        case .press(let column, let row):
            guard let hit = hits.first(where: { $0.rows.contains(row) && $0.columns.contains(column) }) else { return .nothing }
            return press(hit.action)
        case .key(.interrupt):
            return .quit
        case .key(.character(let c)):
            if screen.input != nil, focus == nil { return .event(.typed(String(c))) }
            if let n = c.wholeNumberValue, c.isASCII, n >= 1, n <= screen.buttons.count {
                return press(screen.buttons[n - 1].action)
            }
            if screen.input != nil {
                focused = Focus(index: nil)
                return .event(.typed(String(c)))
            }
            return .nothing
        case .key(.backspace):
            return screen.input == nil ? .nothing : .event(.erase)
        case .key(.enter):
            return focused.selected(on: screen).map(press) ?? .nothing
        case .key(.escape): return press(.back)
        case .key(.function(2)): return press(.language)
        case .key(.function(3)): return press(.callStaff)
        case .key(.function(4)): return press(.stop)
        case .key(.function(5)): return press(.readAloud)
        case .key(.function(6)): return .event(.speech(.repeatScreen))
        case .key(.function(7)): return .event(.speech(.softer))
        case .key(.function(8)): return .event(.speech(.louder))
        case .key(.tab), .key(.down), .key(.right):
            guard !focusable.isEmpty else { return .nothing }
            focused.move(+1, on: screen)
            return .redraw
        case .key(.backTab), .key(.up), .key(.left):
            guard !focusable.isEmpty else { return .nothing }
            focused.move(-1, on: screen)
            return .redraw
        default:
            return .nothing
        }
    }
}
