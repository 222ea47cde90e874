public import KioskCore
public import Touch

/// A USB keypad or keyboard on the kiosk: tactile navigation for a resident who cannot use the touchscreen (EZ Access:
/// up and down move the focus, select presses it, back, help), and the recovery path when the panel fails. The same keys
/// as the terminal front: the arrows move the ``Focus``, Enter selects (the focused button, or submits the field), digits
/// press the numbered buttons (or type, in an input step), letters type, Backspace erases, Esc is back, F1 or Help calls
/// staff, F2 language, F3 call staff, F4 stop; for speech, F5 reads aloud (or stops), F6 (or Again) says the screen again,
/// F7 and F8 (or Volume down and up, or the keypad's - and +) set the volume. Keys it does not know do nothing.
public enum KeyboardMapping {
    public enum Outcome: Sendable, Equatable {
        case event(KioskEvent)
        /// The focus moved: draw it.
        case moved
        case nothing
    }

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

    /// What a key press means on `screen` with `focus`; nothing for releases, repeats and keys that mean nothing here.
    public static func handle(_ input: InputEvent, on screen: Screen, focus: inout Focus) -> Outcome {
        guard input.type == InputEvent.key, input.value == 1 else { return .nothing }
        func press(_ action: Action) -> Outcome { screen.offers(action) ? .event(.action(action)) : .nothing }
        if screen.warning != nil { return press(.keepGoing) }
        switch input.code {
        case 103, 105:  // up, left
            focus.move(-1, on: screen)
            return .moved
        case 108, 106:  // down, right
            focus.move(+1, on: screen)
            return .moved
        case 1: return press(.back)
        case 14: return screen.input == nil ? .nothing : .event(.erase)
        case 28, 96: return focus.selected(on: screen).map(press) ?? .nothing
        case 59, 138, 61: return press(.callStaff)  // F1, Help, F3
        case 60: return press(.language)
        case 62: return press(.stop)
        case 63: return press(.readAloud)  // F5
        case 64, 129: return .event(.speech(.repeatScreen))  // F6, Again
        case 65, 114, 74: return .event(.speech(.softer))  // F7, Volume down, keypad -
        case 66, 115, 78: return .event(.speech(.louder))  // F8, Volume up, keypad +
        default:
            guard let character = characters[input.code] else { return .nothing }
            if screen.input == nil {
                guard let n = character.wholeNumberValue, n >= 1, n <= screen.buttons.count else { return .nothing }
                return press(screen.buttons[n - 1].action)
            }
            return .event(.typed(String(character)))
        }
    }
}
