import CPangoCairo

/// A drawing surface with the few operations kiosk documents and screens need: filled boxes, lines and wrapped text.
///
/// It wraps one cairo context and lays out text with pango, so Dutch compounds, accents and right-to-left names come out
/// right. Sizes are in the surface's units (PDF points, or pixels on a screen); font sizes are absolute, not points at 96 dpi.
/// Not thread-safe: make one per drawing, on one thread.
public final class Canvas {
    let cairo: OpaquePointer
    public let width: Double
    public let height: Double
    /// The font family for all text; DejaVu Sans ships with Debian (fonts-dejavu-core).
    public var family = "DejaVu Sans"

    init(cairo: OpaquePointer, width: Double, height: Double) {
        self.cairo = cairo
        self.width = width
        self.height = height
    }

    public struct Color: Sendable, Equatable {
        public var red, green, blue: Double
        public init(_ red: Double, _ green: Double, _ blue: Double) {
            self.red = red
            self.green = green
            self.blue = blue
        }
        public static let black = Color(0, 0, 0)
        public static let white = Color(1, 1, 1)
        public static let grey = Color(0.45, 0.45, 0.45)
        public static let rule = Color(0.8, 0.8, 0.8)
    }

    public enum Alignment: Sendable { case left, center, right }

    public func fill(x: Double, y: Double, width: Double, height: Double, _ color: Color) {
        set(color)
        cairo_rectangle(cairo, x, y, width, height)
        cairo_fill(cairo)
    }

    /// Fills the rectangles as one path, so that where they touch there is no seam: separately filled shapes each get
    /// their own antialiased edge, and two half-covered edge pixels side by side leave a light line between dark modules.
    public func fill(rectangles: [(x: Double, y: Double, width: Double, height: Double)], _ color: Color) {
        set(color)
        for r in rectangles { cairo_rectangle(cairo, r.x, r.y, r.width, r.height) }
        cairo_fill(cairo)
    }

    public func line(from: (x: Double, y: Double), to: (x: Double, y: Double), width: Double = 1, _ color: Color = .rule) {
        set(color)
        cairo_set_line_width(cairo, width)
        cairo_move_to(cairo, from.x, from.y)
        cairo_line_to(cairo, to.x, to.y)
        cairo_stroke(cairo)
    }

    public func stroke(x: Double, y: Double, width: Double, height: Double, _ color: Color, lineWidth: Double = 1) {
        set(color)
        cairo_set_line_width(cairo, lineWidth)
        cairo_rectangle(cairo, x + lineWidth / 2, y + lineWidth / 2, width - lineWidth, height - lineWidth)
        cairo_stroke(cairo)
    }

    /// The height `text` takes when wrapped to `width`, without drawing it.
    public func measure(_ text: String, width: Double, size: Double, bold: Bool = false) -> Double {
        let layout = self.layout(text, width: width, size: size, bold: bold, align: .left)
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        var logical = PangoRectangle()
        pango_layout_get_extents(layout, nil, &logical)
        return Double(logical.height) / Double(PANGO_SCALE)
    }

    /// The largest size from `size` down to `floor` at which every word of `text` fits `width` on a line of its own, so
    /// that lines break only between words; `floor` when none does (a word longer than the line then breaks inside).
    public func size(fitting text: String, width: Double, size: Double, floor: Double, bold: Bool = false) -> Double {
        var current = size
        while current > floor {
            if wordsFit(text, width: width, size: current, bold: bold) { return current }
            current = Swift.max(floor, current - Swift.max(1, current * 0.05))
        }
        return floor
    }

    /// Whether every word of `text` fits `width` at `size`, so that wrapping never breaks one.
    public func wordsFit(_ text: String, width: Double, size: Double, bold: Bool = false) -> Bool {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" }).allSatisfy {
            lineWidth(String($0), size: size, bold: bold) <= width
        }
    }

    /// The width of `text` on one line, unwrapped.
    func lineWidth(_ text: String, size: Double, bold: Bool) -> Double {
        let layout = self.layout(text, width: nil, size: size, bold: bold, align: .left)
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        var logical = PangoRectangle()
        pango_layout_get_extents(layout, nil, &logical)
        return Double(logical.width) / Double(PANGO_SCALE)
    }

    /// Draws `text` wrapped to `width`, top-left at (x, y), and returns the height it took. A word longer than the line breaks
    /// between characters rather than running off the page.
    @discardableResult
    public func text(
        _ text: String, x: Double, y: Double, width: Double, size: Double, bold: Bool = false, color: Color = .black,
        align: Alignment = .left
    ) -> Double {
        let layout = self.layout(text, width: width, size: size, bold: bold, align: align)
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        set(color)
        cairo_move_to(cairo, x, y)
        pango_cairo_show_layout(cairo, layout)
        var logical = PangoRectangle()
        pango_layout_get_extents(layout, nil, &logical)
        return Double(logical.height) / Double(PANGO_SCALE)
    }

    /// A layout of `text`, wrapped to `width` (nil: one line).
    private func layout(_ text: String, width: Double?, size: Double, bold: Bool, align: Alignment) -> OpaquePointer {
        let layout = pango_cairo_create_layout(cairo)!
        let font = pango_font_description_new()!
        defer { pango_font_description_free(font) }
        pango_font_description_set_family(font, family)
        pango_font_description_set_absolute_size(font, size * Double(PANGO_SCALE))
        pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_layout_set_font_description(layout, font)
        pango_layout_set_width(layout, width.map { Int32($0 * Double(PANGO_SCALE)) } ?? -1)
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        pango_layout_set_alignment(
            layout, align == .left ? PANGO_ALIGN_LEFT : align == .center ? PANGO_ALIGN_CENTER : PANGO_ALIGN_RIGHT)
        pango_layout_set_text(layout, text, -1)
        return layout
    }

    /// The family fontconfig really uses for `family`: a missing font falls back silently to another one, and the kiosk
    /// should say so rather than draw with a surprise.
    public static func resolvedFamily(_ family: String) -> String? {
        guard let map = pango_cairo_font_map_get_default(), let context = pango_font_map_create_context(map) else { return nil }
        defer { g_object_unref(UnsafeMutableRawPointer(context)) }
        let description = pango_font_description_new()!
        defer { pango_font_description_free(description) }
        pango_font_description_set_family(description, family)
        pango_font_description_set_absolute_size(description, 20 * Double(PANGO_SCALE))
        guard let font = pango_font_map_load_font(map, context, description) else { return nil }
        defer { g_object_unref(UnsafeMutableRawPointer(font)) }
        let used = pango_font_describe(font)!
        defer { pango_font_description_free(used) }
        return pango_font_description_get_family(used).map { String(cString: $0) }
    }

    /// Ends the page; what is drawn next goes on a new one (PDF only).
    public func newPage() {
        cairo_show_page(cairo)
    }

    private func set(_ color: Color) {
        cairo_set_source_rgb(cairo, color.red, color.green, color.blue)
    }
}
