import Foundation
public import KioskCore

/// Draws a ``Screen`` for a touchscreen: a title band, the step, body text and summary, a notice, an input field with an
/// on-screen keyboard, large buttons, and a bar with back, language, help and stop on every screen. Portrait 1080×1920 by
/// default; everything scales with the width.
///
/// It returns where each touchable thing landed, so a touch maps to the same button the resident saw, and records every
/// text colour with the background it was drawn on, for the contrast check.
public struct ScreenRenderer: Sendable {
    public var width: Double
    public var height: Double
    public var theme: Theme
    public var family = "DejaVu Sans"

    public init(width: Double = 1080, height: Double = 1920, theme: Theme = .standard) {
        self.width = width
        self.height = height
        self.theme = theme
    }

    /// Something a finger can press.
    public enum Target: Sendable, Equatable {
        case action(Action)
        case key(String)
        case erase
    }

    public struct Hit: Sendable, Equatable {
        public var x, y, width, height: Double
        public var target: Target

        public func contains(x px: Double, y py: Double) -> Bool {
            px >= x && px < x + width && py >= y && py < y + height
        }
    }

    /// What one drawing produced.
    public struct Drawn: Sendable {
        public var hits: [Hit] = []
        /// (text colour, background) for every piece of text.
        public var textColors: [(Canvas.Color, Canvas.Color)] = []
        /// Texts with a word too long for its line even at the smallest size allowed, which so broke inside a word.
        public var brokenWords: [String] = []

        public init() {}

        public func target(x: Double, y: Double) -> Target? { hits.last { $0.contains(x: x, y: y) }?.target }
    }

    /// How many steps the busy indicator's light takes to go round; the front redraws a busy screen with the next `tick`.
    public static let busySteps = 8
    /// The "read aloud" button in the title band's corner, at 1080 px wide.
    static let cornerWidth = 300.0

    /// - parameters:
    ///   - tick: which step of the busy indicator to draw, so a waiting screen visibly lives.
    @discardableResult
    ///   - focused: the keypad's focus, drawn as a thick ring around its button.
    public func draw(
        _ screen: Screen, on canvas: Canvas, pressed: Target? = nil, focused: Target? = nil, tick: Int = 0
    ) -> Drawn {
        canvas.family = family
        var drawn = Drawn()
        let s = width / 1080
        let margin = 60 * s
        let inner = width - 2 * margin
        // Text wraps only between words: a word too long for its line makes the text smaller, down to 70 % of its size.
        func fitted(_ string: String, width: Double, size: Double, bold: Bool) -> Double {
            let fitted = canvas.size(fitting: string, width: width, size: size * s, floor: size * s * 0.7, bold: bold)
            if !canvas.wordsFit(string, width: width, size: fitted, bold: bold) { drawn.brokenWords.append(string) }
            return fitted
        }
        func text(
            _ string: String, x: Double, y: Double, width: Double, size: Double, bold: Bool = false, color: Canvas.Color,
            on background: Canvas.Color, align: Canvas.Alignment = .left
        ) -> Double {
            drawn.textColors.append((color, background))
            return canvas.text(
                string, x: x, y: y, width: width, size: fitted(string, width: width, size: size, bold: bold), bold: bold,
                color: color, align: align)
        }
        func button(_ label: String, _ target: Target, x: Double, y: Double, w: Double, h: Double, chrome: Bool = false) {
            let down = pressed == target
            let fill = down ? theme.pressed : chrome ? theme.chrome : theme.button
            let ink = down ? theme.pressedText : chrome ? theme.chromeText : theme.buttonText
            canvas.fill(x: x, y: y, width: w, height: h, fill)
            if chrome { canvas.stroke(x: x, y: y, width: w, height: h, ink, lineWidth: 3 * s) }
            let size: Double = chrome ? 34 : 44
            let textHeight = canvas.measure(
                label, width: w - 40 * s, size: fitted(label, width: w - 40 * s, size: size, bold: true), bold: true)
            _ = text(
                label, x: x + 20 * s, y: y + max(8 * s, (h - textHeight) / 2), width: w - 40 * s, size: size, bold: true,
                color: ink, on: fill, align: .center)
            drawn.hits.append(Hit(x: x, y: y, width: w, height: h, target: target))
        }

        canvas.fill(x: 0, y: 0, width: width, height: height, theme.background)
        // Title band, with the step on its own line above the title, and "read aloud" in its corner, in the same place on
        // every screen.
        let bandHeight = 220 * s
        canvas.fill(x: 0, y: 0, width: width, height: bandHeight, theme.band)
        let corner = screen.chrome.first { $0.action == .readAloud }
        let titleWidth = corner == nil ? inner : inner - Self.cornerWidth * s - 24 * s
        if let progress = screen.progress {
            _ = text(progress, x: margin, y: 24 * s, width: titleWidth, size: 30, color: theme.bandText, on: theme.band)
        }
        _ = text(
            screen.title, x: margin, y: 80 * s, width: titleWidth, size: 56, bold: true, color: theme.bandText, on: theme.band)
        if let corner {
            button(
                corner.label, .action(corner.action), x: width - margin - Self.cornerWidth * s, y: 40 * s,
                w: Self.cornerWidth * s, h: 140 * s, chrome: true)
        }
        var y = bandHeight
        if let banner = screen.banner {
            let h = canvas.measure(banner, width: inner, size: fitted(banner, width: inner, size: 32, bold: false)) + 40 * s
            canvas.fill(x: 0, y: y, width: width, height: h, theme.banner)
            _ = text(banner, x: margin, y: y + 20 * s, width: inner, size: 32, color: theme.bannerText, on: theme.banner)
            y += h
        }
        y += 40 * s
        // A picture stands to the right of the text, so that it takes no height the keyboard needs.
        let textWidth = screen.picture == nil ? inner : inner * 0.6
        let bodyTop = y
        for paragraph in screen.body {
            y += text(paragraph, x: margin, y: y, width: textWidth, size: 40, color: theme.text, on: theme.background) + 24 * s
        }
        if let picture = screen.picture {
            let box = (x: margin + inner * 0.64, y: bodyTop, width: inner * 0.36, height: 300 * s)
            ReaderPicture(theme: theme, scale: s).draw(picture, in: box, on: canvas)
            y = max(y, box.y + box.height + 24 * s)
        }
        for line in screen.summary {
            let left = text(line.label, x: margin, y: y, width: inner * 0.4, size: 36, color: theme.text, on: theme.background)
            let right = text(
                line.value, x: margin + inner * 0.42, y: y, width: inner * 0.58, size: 36, bold: true, color: theme.text,
                on: theme.background)
            y += max(left, right) + 16 * s
        }
        // The numbers to remember, each in its own box: the label small, the value large.
        if !screen.keyFacts.isEmpty {
            let gap = 20 * s
            let count = Double(screen.keyFacts.count)
            let columns = count > 1 && screen.keyFacts.count % 2 == 0 ? 2.0 : 1.0
            let w = (inner - (columns - 1) * gap) / columns
            let h = 190 * s
            for (index, fact) in screen.keyFacts.enumerated() {
                let x = margin + Double(index % Int(columns)) * (w + gap)
                let top = y + Double(index / Int(columns)) * (h + gap)
                canvas.fill(x: x, y: top, width: w, height: h, theme.field)
                canvas.stroke(x: x, y: top, width: w, height: h, theme.fieldText, lineWidth: 4 * s)
                _ = text(
                    fact.label, x: x + 24 * s, y: top + 18 * s, width: w - 48 * s, size: 32, color: theme.fieldText,
                    on: theme.field)
                _ = text(
                    fact.value, x: x + 24 * s, y: top + 70 * s, width: w - 48 * s, size: 80, bold: true, color: theme.fieldText,
                    on: theme.field)
            }
            y += (h + gap) * (count / columns).rounded(.up) + 20 * s
        }
        if let notice = screen.noticeText {
            let h =
                canvas.measure(
                    notice, width: inner - 40 * s, size: fitted(notice, width: inner - 40 * s, size: 36, bold: false))
                + 40 * s
            canvas.fill(x: margin, y: y, width: inner, height: h, theme.error)
            _ = text(
                notice, x: margin + 20 * s, y: y + 20 * s, width: inner - 40 * s, size: 36, color: theme.errorText,
                on: theme.error)
            y += h + 24 * s
        }
        if screen.busy {
            // Dots on a ring with one lit, going round one place per tick: the kiosk is working, not frozen. A ring has
            // no end, so it cannot be read as progress towards one (a row of blocks was).
            let radius = 56 * s
            let dot = 22 * s
            let count = Self.busySteps
            let lit = ((tick % count) + count) % count
            let centre = (x: width / 2, y: y + 20 * s + radius + dot / 2)
            for n in 0..<count {
                let angle = Double(n) / Double(count) * 2 * Double.pi - Double.pi / 2
                let x = centre.x + radius * cos(angle) - dot / 2
                let y = centre.y + radius * sin(angle) - dot / 2
                canvas.fill(x: x, y: y, width: dot, height: dot, n == lit ? theme.text : theme.field)
                canvas.stroke(x: x, y: y, width: dot, height: dot, theme.text, lineWidth: 2 * s)
            }
            y += 2 * radius + dot + 60 * s
        }
        let chromeTop = height - 180 * s
        if let input = screen.input {
            y += text(input.label, x: margin, y: y, width: inner, size: 36, color: theme.text, on: theme.background) + 12 * s
            canvas.fill(x: margin, y: y, width: inner, height: 120 * s, theme.field)
            canvas.stroke(x: margin, y: y, width: inner, height: 120 * s, theme.fieldText, lineWidth: 3 * s)
            _ = text(
                input.value.isEmpty ? " " : input.value, x: margin + 24 * s, y: y + 28 * s, width: inner - 48 * s, size: 52,
                bold: true, color: theme.fieldText, on: theme.field)
            y += 150 * s
            // The field's own keyboard: a pad of three wide keys a row, or seven keys a row for an alphabet; every key at
            // least 120 px each way. The submit button follows.
            let gap = 10 * s
            let columns = Double(input.keyboard.rows.first?.count ?? 1)
            let w = (inner - (columns - 1) * gap) / columns
            let h = 120 * s
            for row in input.keyboard.rows {
                for (column, key) in row.enumerated() {
                    let x = margin + Double(column) * (w + gap)
                    switch key {
                    case .character(let c): button(String(c), .key(String(c)), x: x, y: y, w: w, h: h)
                    case .erase: button("⌫", .erase, x: x, y: y, w: w, h: h)
                    case .blank: break
                    }
                }
                y += h + gap
            }
            y += 20 * s
        }
        // The big buttons, stacked in the middle of the room that is left, where a hand reaches them without stretching;
        // up to 240 px high, shrinking when there are many (never below 120 px).
        if !screen.buttons.isEmpty {
            let room = chromeTop - 30 * s - y
            let count = Double(screen.buttons.count)
            let gap = 24 * s
            let h = max(120 * s, min(240 * s, (room - gap * (count - 1)) / count))
            y += max(0, (room - (h * count + gap * (count - 1))) / 2)
            for item in screen.buttons {
                button(item.label, .action(item.action), x: margin, y: y, w: inner, h: h)
                y += h + gap
            }
        }
        // The bar: back, language, help (call staff) and stop, wherever the screen offers them.
        let bar = screen.chrome.filter { $0.action != .readAloud }
        if !bar.isEmpty {
            canvas.fill(x: 0, y: chromeTop, width: width, height: height - chromeTop, theme.background)
            let gap = 20 * s
            let count = Double(bar.count)
            let w = (inner - gap * (count - 1)) / count
            for (index, item) in bar.enumerated() {
                button(
                    item.label, .action(item.action), x: margin + Double(index) * (w + gap), y: chromeTop + 20 * s, w: w,
                    h: 140 * s, chrome: true)
            }
        }
        if let focused, let hit = drawn.hits.first(where: { $0.target == focused }) {
            let ring = 8 * s
            canvas.stroke(
                x: hit.x - ring, y: hit.y - ring, width: hit.width + 2 * ring, height: hit.height + 2 * ring, theme.text,
                lineWidth: ring)
        }
        if let warning = screen.warning {
            // Over everything: only "keep going" (and the bar under the dim) remains.
            canvas.fill(x: 0, y: 0, width: width, height: chromeTop, theme.background)
            let top = height * 0.3
            _ = text(warning, x: margin, y: top, width: inner, size: 48, bold: true, color: theme.text, on: theme.background)
            drawn.hits.removeAll { $0.y < chromeTop }
            button(UIText.keepGoing[screen.language], .action(.keepGoing), x: margin, y: top + 300 * s, w: inner, h: 160 * s)
        }
        return drawn
    }
}
