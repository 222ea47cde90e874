public import KioskCore

/// Where a button was drawn, so that a click there means pressing it.
public struct HitBox: Sendable, Equatable {
    public var rows: ClosedRange<Int>
    public var columns: ClosedRange<Int>
    public var action: Action
}

/// Draws a ``Screen`` as ANSI text for a terminal of a given size: title bar, offline banner, body, input field, numbered
/// buttons and the chrome bar (Esc back, F2 language, F3 call staff, F4 stop, F5 read aloud), with the inactivity warning
/// on top.
///
/// Pure: the same screen, focus and size always give the same bytes, so it is tested without a terminal.
public enum TerminalRenderer {
    public struct Frame: Sendable {
        public var text: String
        public var hits: [HitBox]
        /// The frame without escape codes, one string per row, for tests and logs.
        public var rows: [String]
    }

    static let chromeKeys: [Action: String] = [
        .back: "Esc", .language: "F2", .callStaff: "F3", .stop: "F4", .readAloud: "F5",
    ]

    /// - parameters:
    ///   - focus: index into `screen.buttons + screen.chrome`, or nil when the input field has the focus.
    public static func render(_ screen: Screen, focus: Int?, width: Int, height: Int) -> Frame {
        let width = max(width, 20)
        let height = max(height, 8)
        var canvas = Canvas(width: width, height: height)
        var row = 1
        let right = screen.progress.map { " \($0) " } ?? ""
        let title = " " + String(screen.title.prefix(width - right.count - 2))
        canvas.put(row, 1, title + String(repeating: " ", count: max(0, width - title.count - right.count)) + right, style: "7;1")
        row += 1
        if let banner = screen.banner {
            for line in wrap(banner, width - 2) {
                canvas.put(row, 1, " " + line + String(repeating: " ", count: max(0, width - line.count - 1)), style: "30;43")
                row += 1
            }
        }
        row += 1
        for paragraph in screen.body {
            for line in wrap(paragraph, width - 4) {
                canvas.put(row, 3, line)
                row += 1
            }
            row += 1
        }
        for line in screen.summary {
            canvas.put(row, 3, line.label + ": ", style: "2")
            canvas.put(row, 5 + line.label.count, line.value, style: "1")
            row += 1
        }
        if !screen.summary.isEmpty { row += 1 }
        // The numbers to remember, framed and bold (reverse video), one a line.
        for fact in screen.keyFacts {
            canvas.put(row, 3, fact.label + ": ", style: "2")
            canvas.put(row, 5 + fact.label.count, " \(fact.value) ", style: "1;7")
            row += 2
        }
        if let input = screen.input {
            canvas.put(row, 3, input.label)
            row += 1
            let fieldWidth = min(44, width - 6)
            let shown = String(input.value.suffix(fieldWidth - 1))
            let field = shown + (focus == nil ? "█" : "") + String(repeating: " ", count: max(0, fieldWidth - shown.count - 1))
            canvas.put(row, 3, "[ " + field + " ]", style: focus == nil ? "1" : "")
            row += 2
        }
        if let notice = screen.notice, let text = screen.noticeText {
            for line in wrap("! " + text, width - 4) {
                canvas.put(row, 3, line, style: notice.kind == .error ? "1;31" : "36")
                row += 1
            }
            row += 1
        }
        if screen.busy {
            canvas.put(row, 3, "…", style: "1")
            row += 2
        }
        var hits: [HitBox] = []
        let buttonWidth = min(60, width - 4)
        let big = row + 3 * screen.buttons.count <= height - 2
        for (index, button) in screen.buttons.enumerated() {
            let focused = focus == index
            let label = String("\(index + 1)  \(button.label)".prefix(buttonWidth - 4))
            let style = focused ? "7;1" : "1"
            if big {
                canvas.put(row, 3, "┌" + String(repeating: "─", count: buttonWidth - 2) + "┐", style: focused ? "1" : "")
                canvas.put(
                    row + 1, 3, "│ " + label + String(repeating: " ", count: buttonWidth - 4 - label.count) + " │", style: style)
                canvas.put(row + 2, 3, "└" + String(repeating: "─", count: buttonWidth - 2) + "┘", style: focused ? "1" : "")
                hits.append(HitBox(rows: row...(row + 2), columns: 3...(2 + buttonWidth), action: button.action))
                row += 3
            } else if row < height - 1 {
                canvas.put(row, 3, "[" + label + "]", style: style)
                hits.append(HitBox(rows: row...row, columns: 3...(4 + label.count), action: button.action))
                row += 1
            }
        }
        var column = 2
        for (offset, button) in screen.chrome.enumerated() {
            let key = chromeKeys[button.action].map { "\($0) " } ?? ""
            let text = " " + key + button.label + " "
            guard column + text.count <= width else { break }
            let focused = focus == screen.buttons.count + offset
            canvas.put(height, column, text, style: focused ? "7;1" : "7")
            hits.append(HitBox(rows: height...height, columns: column...(column + text.count - 1), action: button.action))
            column += text.count + 1
        }
        if let warning = screen.warning {
            let boxWidth = min(56, width - 4)
            let lines = wrap(warning, boxWidth - 4) + ["", "[Enter] " + UIText.keepGoing[screen.language]]
            let top = max(2, (height - lines.count - 2) / 2)
            let left = (width - boxWidth) / 2 + 1
            canvas.put(top, left, "╔" + String(repeating: "═", count: boxWidth - 2) + "╗", style: "1;33")
            for (i, line) in lines.enumerated() {
                canvas.put(
                    top + 1 + i, left, "║ " + line + String(repeating: " ", count: max(0, boxWidth - 4 - line.count)) + " ║",
                    style: "1;33")
            }
            canvas.put(top + lines.count + 1, left, "╚" + String(repeating: "═", count: boxWidth - 2) + "╝", style: "1;33")
            hits = [HitBox(rows: top...(top + lines.count + 1), columns: left...(left + boxWidth - 1), action: .keepGoing)]
        }
        return Frame(text: canvas.ansi, hits: hits, rows: canvas.plainRows)
    }

    /// Word-wraps a paragraph; a word longer than the width is cut.
    static func wrap(_ text: String, _ width: Int) -> [String] {
        let width = max(width, 8)
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            var word = String(word)
            while word.count > width {
                if !line.isEmpty {
                    lines.append(line)
                    line = ""
                }
                lines.append(String(word.prefix(width)))
                word = String(word.dropFirst(width))
            }
            if line.isEmpty {
                line = word
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = word
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}

/// A grid of styled cells that becomes one ANSI frame. Writes past the edges are clipped.
struct Canvas {
    let width: Int
    let height: Int
    private var cells: [[(Character, String)]]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        cells = Array(repeating: Array(repeating: (" ", ""), count: width), count: height)
    }

    mutating func put(_ row: Int, _ column: Int, _ text: String, style: String = "") {
        guard row >= 1, row <= height else { return }
        var c = column
        for character in text {
            guard c <= width else { return }
            // Control characters never reach the terminal, whatever a flow text or a device said.
            let safe: Character = character.isASCII && (character.asciiValue ?? 0x20) < 0x20 ? " " : character
            if c >= 1 { cells[row - 1][c - 1] = (safe, style) }
            c += 1
        }
    }

    var ansi: String {
        var out = "\u{1B}[H"
        for (index, row) in cells.enumerated() {
            out += "\u{1B}[\(index + 1);1H"
            var current = ""
            for (character, style) in row {
                if style != current {
                    out += "\u{1B}[0m" + (style.isEmpty ? "" : "\u{1B}[\(style)m")
                    current = style
                }
                out.append(character)
            }
            out += "\u{1B}[0m"
        }
        return out
    }

    var plainRows: [String] {
        cells.map { row in
            var s = String(row.map(\.0))
            while s.last == " " { s.removeLast() }
            return s
        }
    }
}
