/// A key or a click, decoded from the bytes a terminal sends.
public enum TerminalInput: Sendable, Equatable {
    public enum Key: Sendable, Equatable {
        case character(Character)
        case enter, backspace, escape, tab, backTab
        case up, down, left, right
        case function(Int)
        case interrupt
    }

    case key(Key)
    /// A mouse button pressed at a 1-based column and row (SGR 1006 reporting). Fronts treat it as a touch.
    case press(column: Int, row: Int)
}

/// Turns terminal bytes into keys and clicks: UTF-8 text, control keys, CSI/SS3 sequences and SGR 1006 mouse reports.
///
/// Bytes come from outside and may be anything: unknown or broken sequences are dropped whole, never passed on as typing.
/// A sequence split across reads is kept until its end arrives; a lone ESC at the end of a read is the Escape key.
public struct InputDecoder: Sendable {
    private var pending: [UInt8] = []
    static let maxSequence = 32

    public init() {}

    public mutating func decode(_ bytes: some Sequence<UInt8>) -> [TerminalInput] {
        pending.append(contentsOf: bytes)
        var out: [TerminalInput] = []
        var i = 0
        let b = pending
        while i < b.count {
            let byte = b[i]
            switch byte {
            case 0x1B:
                guard i + 1 < b.count else {
                    out.append(.key(.escape))
                    i += 1
                    continue
                }
                switch b[i + 1] {
                case UInt8(ascii: "["), UInt8(ascii: "O"):
                    guard let (input, length) = Self.sequence(b, from: i) else {
                        // Incomplete: wait for more, unless it is already too long to be real.
                        if b.count - i > Self.maxSequence {
                            i = b.count
                            continue
                        }
                        pending = Array(b[i...])
                        return out
                    }
                    if let input { out.append(input) }
                    i += length
                case 0x1B:
                    out.append(.key(.escape))
                    i += 1
                default:
                    // Alt+key: not used by the kiosk; drop both bytes.
                    i += 2
                }
            case 0x0D, 0x0A: out.append(.key(.enter)); i += 1
            case 0x7F, 0x08: out.append(.key(.backspace)); i += 1
            case 0x09: out.append(.key(.tab)); i += 1
            case 0x03: out.append(.key(.interrupt)); i += 1
            case 0x00..<0x20: i += 1
            default:
                let length = Self.utf8Length(byte)
                guard length > 0 else {
                    i += 1
                    continue
                }
                guard i + length <= b.count else {
                    pending = Array(b[i...])
                    return out
                }
                if let text = String(validating: b[i..<(i + length)], as: UTF8.self), let c = text.first {
                    out.append(.key(.character(c)))
                }
                i += length
            }
        }
        pending = []
        return out
    }

    static func utf8Length(_ lead: UInt8) -> Int {
        switch lead {
        case 0x20..<0x80: 1
        case 0xC2..<0xE0: 2
        case 0xE0..<0xF0: 3
        case 0xF0..<0xF5: 4
        default: 0
        }
    }

    /// Decodes one escape sequence starting at `start`: the input it means (nil if unknown) and its length, or nil if incomplete.
    static func sequence(_ b: [UInt8], from start: Int) -> (TerminalInput?, Int)? {
        let introducer = b[start + 1]
        var j = start + 2
        if introducer == UInt8(ascii: "O") {
            guard j < b.count else { return nil }
            let keys: [UInt8: TerminalInput.Key] = [
                UInt8(ascii: "A"): .up, UInt8(ascii: "B"): .down, UInt8(ascii: "C"): .right, UInt8(ascii: "D"): .left,
                UInt8(ascii: "P"): .function(1), UInt8(ascii: "Q"): .function(2), UInt8(ascii: "R"): .function(3),
                UInt8(ascii: "S"): .function(4),
            ]
            return (keys[b[j]].map { .key($0) }, 3)
        }
        // CSI: parameter bytes 0x30–0x3F, intermediates 0x20–0x2F, then a final byte 0x40–0x7E.
        while j < b.count, (0x20...0x3F).contains(b[j]) { j += 1 }
        guard j < b.count else { return nil }
        let final = b[j]
        let length = j - start + 1
        guard (0x40...0x7E).contains(final) else { return (nil, length) }
        let params = String(decoding: b[(start + 2)..<j], as: UTF8.self)
        return (csi(params, final), length)
    }

    static func csi(_ params: String, _ final: UInt8) -> TerminalInput? {
        if params.hasPrefix("<") {
            // SGR 1006 mouse: ESC [ < button ; column ; row (M = press, m = release).
            let fields = params.dropFirst().split(separator: ";").map { Int($0) }
            guard final == UInt8(ascii: "M"), fields.count == 3, let button = fields[0], let column = fields[1],
                let row = fields[2],
                button & ~0x1C == 0, (1...10_000).contains(column), (1...10_000).contains(row)
            else { return nil }
            return .press(column: column, row: row)
        }
        switch final {
        case UInt8(ascii: "A"): return .key(.up)
        case UInt8(ascii: "B"): return .key(.down)
        case UInt8(ascii: "C"): return .key(.right)
        case UInt8(ascii: "D"): return .key(.left)
        case UInt8(ascii: "Z"): return .key(.backTab)
        case UInt8(ascii: "P"): return .key(.function(1))
        case UInt8(ascii: "Q"): return .key(.function(2))
        case UInt8(ascii: "R"): return .key(.function(3))
        case UInt8(ascii: "S"): return .key(.function(4))
        case UInt8(ascii: "~"):
            let codes = [11: 1, 12: 2, 13: 3, 14: 4, 15: 5, 17: 6, 18: 7, 19: 8, 20: 9, 21: 10]
            let first = params.split(separator: ";").first.flatMap { Int($0) }
            return first.flatMap { codes[$0] }.map { .key(.function($0)) }
        default: return nil
        }
    }
}
