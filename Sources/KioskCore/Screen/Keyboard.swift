/// The on-screen keyboard a field gets: only the characters the field can take, laid out for them, and at most as many as
/// it holds. The runner drops anything else typed (a hardware keyboard, a scanner), so the keyboard and the field agree.
public struct Keyboard: Sendable, Equatable {
    /// One place on the keyboard.
    public enum Key: Sendable, Equatable {
        case character(Character)
        case erase
        /// An empty place, so that a pad keeps its shape.
        case blank
    }

    /// Rows of keys, as drawn: every row as wide as the first.
    public let rows: [[Key]]
    /// The most characters the field holds.
    public let maxLength: Int

    /// A 3×4 pad: 1–9, then the dash (or nothing), 0 and erase. For the BSN, dates and the CAN.
    static func pad(dash: Bool, maxLength: Int) -> Keyboard {
        let digits = Array("123456789").map(Key.character)
        return Keyboard(
            rows: [
                Array(digits[0..<3]), Array(digits[3..<6]), Array(digits[6..<9]),
                [dash ? .character("-") : .blank, .character("0"), .erase],
            ],
            maxLength: maxLength)
    }

    /// An alphabet in reading order, seven keys a row (each then at least 120 px on a 1080 px screen), erase last.
    static func letters(_ alphabet: String, dash: Bool = false, maxLength: Int) -> Keyboard {
        let keys = alphabet.map(Key.character) + (dash ? [.character("-")] : []) + [.erase]
        let columns = 7
        let rows = stride(from: 0, to: keys.count, by: columns).map { start in
            let row = Array(keys[start..<min(start + columns, keys.count)])
            return row + Array(repeating: Key.blank, count: columns - row.count)
        }
        return Keyboard(rows: rows, maxLength: maxLength)
    }

    /// Nine digits.
    public static let bsn = pad(dash: false, maxLength: 9)
    /// DD-MM-YYYY.
    public static let date = pad(dash: true, maxLength: 10)
    /// The card access number: six digits.
    public static let can = pad(dash: false, maxLength: 6)
    /// The pickup letter's alphabet (no 0, 1, I or O), and the dash of XXXX-XXXX.
    public static let pickupCode = letters(
        String(PickupCode.alphabet.sorted { ($0.isNumber ? 0 : 1, $0) < ($1.isNumber ? 0 : 1, $1) }), dash: true,
        maxLength: 9)
    /// A travel document's number: letters and digits.
    public static let documentNumber = letters("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", maxLength: 22)

    /// The keyboard for an input step's validator.
    public static func `for`(_ validator: Validator) -> Keyboard {
        switch validator {
        case .bsn: .bsn
        case .pickupCode: .pickupCode
        case .date: .date
        }
    }

    /// Every character a key types.
    public var characters: Set<Character> {
        Set(rows.joined().compactMap { if case .character(let c) = $0 { c } else { nil } })
    }

    /// What of `typed` the field takes, appended to `value`: letters upper-cased, a date's `.` or `/` as its dash, anything
    /// without a key dropped, and no more than ``maxLength``.
    public func append(_ typed: String, to value: String) -> String {
        let keys = characters
        let kept = typed.uppercased().map { c -> Character in (c == "." || c == "/") && keys.contains("-") ? "-" : c }
            .filter { keys.contains($0) }
        return String((value + String(kept)).prefix(maxLength))
    }
}
