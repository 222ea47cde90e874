/// Which control a resident without the touchscreen is on, in the EZ Access manner: a keypad (or the recovery keyboard)
/// moves it up and down through the field, the big buttons and the bar, selects, goes back, and asks for help. The
/// terminal front and the touchscreen's keypad share it, so the two move alike.
public struct Focus: Sendable, Equatable {
    /// Index into `buttons + chrome`; nil while the input field has it (or a screen has nothing to focus).
    public private(set) var index: Int?

    public init(index: Int? = nil) {
        self.index = index
    }

    /// Where the focus starts on a new screen: the field when there is one, else the first big button; on a screen with
    /// neither (waiting), nothing has it, so that "select" presses nothing by chance.
    public static func start(on screen: Screen) -> Focus {
        Focus(index: screen.input == nil && !screen.buttons.isEmpty ? 0 : nil)
    }

    /// The focus for `next` after `previous`: kept when it is the same screen with new details, else from the start.
    public func carried(from previous: Screen?, to next: Screen) -> Focus {
        guard let previous, previous.title == next.title, previous.buttons == next.buttons,
            previous.input?.label == next.input?.label
        else { return .start(on: next) }
        if let index, index >= next.buttons.count + next.chrome.count { return Focus(index: nil) }
        return self
    }

    /// One place on (`+1`) or back (`-1`), round through the field (if any), the buttons and the bar.
    public mutating func move(_ step: Int, on screen: Screen) {
        let count = screen.buttons.count + screen.chrome.count
        guard count > 0 else { return }
        let hasInput = screen.input != nil
        let slots = count + (hasInput ? 1 : 0)
        let current = index.map { $0 + (hasInput ? 1 : 0) } ?? 0
        let next = ((current + step) % slots + slots) % slots
        index = hasInput ? (next == 0 ? nil : next - 1) : next
    }

    /// The button with the focus, if a button has it.
    public func button(on screen: Screen) -> Screen.Button? {
        let focusable = screen.buttons + screen.chrome
        guard let index, index < focusable.count else { return nil }
        return focusable[index]
    }

    /// What "select" does: presses the focused button, or submits the field that has the focus.
    public func selected(on screen: Screen) -> Action? {
        if let button = button(on: screen) { return button.action }
        return screen.input == nil ? nil : .submitInput
    }
}
