public import KioskCore
public import Touch

/// A USB keyboard on the kiosk, for staff and technicians: the recovery path when the touch panel fails or is mis-calibrated.
/// The same keys as the terminal front: digits press the numbered buttons (or type, in an input step), letters type,
/// Backspace erases, Enter submits the field or presses the first button, Esc is back, F2 language, F3 call staff, F4 stop.
public enum KeyboardMapping {
    /// Linux key codes (linux/input-event-codes.h) of the keys that type.
    static let characters: [UInt16: Character] = {
        var map: [UInt16: Character] = [2: "1", 3: "2", 4: "3", 5: "4", 6: "5", 7: "6", 8: "7", 9: "8", 10: "9", 11: "0"]
        for (offset, letter) in "QWERTYUIOP".enumerated() { map[UInt16(16 + offset)] = letter }
        for (offset, letter) in "ASDFGHJKL".enumerated() { map[UInt16(30 + offset)] = letter }
        for (offset, letter) in "ZXCVBNM".enumerated() { map[UInt16(44 + offset)] = letter }
        map[12] = "-"
        map[52] = "."
        map[53] = "/"
        map[57] = " "
        return map
    }()

    /// The event a key press means on `screen`; nil for releases, repeats and keys that mean nothing here.
    public static func event(for input: InputEvent, on screen: Screen) -> KioskEvent? {
        guard input.type == InputEvent.key, input.value == 1 else { return nil }
        func press(_ action: Action) -> KioskEvent? { screen.offers(action) ? .action(action) : nil }
        if screen.warning != nil { return press(.keepGoing) }
        switch input.code {
        case 1: return press(.back)
        case 14: return screen.input == nil ? nil : .erase
        case 28, 96:
            if screen.input != nil { return press(.submitInput) }
            return screen.buttons.first.flatMap { press($0.action) }
        case 60: return press(.language)
        case 61: return press(.callStaff)
        case 62: return press(.stop)
        default:
            guard let character = characters[input.code] else { return nil }
            if screen.input == nil {
                guard let n = character.wholeNumberValue, n >= 1, n <= screen.buttons.count else { return nil }
                return press(screen.buttons[n - 1].action)
            }
            return .typed(String(character))
        }
    }
}
