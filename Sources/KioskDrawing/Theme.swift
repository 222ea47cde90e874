import Foundation

/// The colours of the resident's screen. Every text colour is paired with the background it is drawn on, so the tests can
/// check each pair against WCAG 2.x: 4.5:1 at least, and 7:1 in the high-contrast theme.
public struct Theme: Sendable, Equatable, CustomStringConvertible {
    public var description: String { name }
    public var name: String
    public var background: Canvas.Color
    public var text: Canvas.Color
    public var band: Canvas.Color
    public var bandText: Canvas.Color
    public var button: Canvas.Color
    public var buttonText: Canvas.Color
    public var pressed: Canvas.Color
    public var pressedText: Canvas.Color
    public var chrome: Canvas.Color
    public var chromeText: Canvas.Color
    public var banner: Canvas.Color
    public var bannerText: Canvas.Color
    public var error: Canvas.Color
    public var errorText: Canvas.Color
    public var field: Canvas.Color
    public var fieldText: Canvas.Color

    /// Tilburg-ish blue on white.
    public static let standard = Theme(
        name: "standard", background: .white, text: Canvas.Color(0.12, 0.12, 0.12), band: Canvas.Color(0.0, 0.27, 0.55),
        bandText: .white, button: Canvas.Color(0.0, 0.34, 0.68), buttonText: .white, pressed: Canvas.Color(0.0, 0.18, 0.38),
        pressedText: .white, chrome: Canvas.Color(0.9, 0.92, 0.95), chromeText: Canvas.Color(0.05, 0.15, 0.3),
        banner: Canvas.Color(1.0, 0.84, 0.3), bannerText: .black, error: Canvas.Color(0.99, 0.91, 0.9),
        errorText: Canvas.Color(0.6, 0.05, 0.05), field: Canvas.Color(0.96, 0.96, 0.96), fieldText: .black)

    /// Black and white with yellow actions, for residents who see less.
    public static let highContrast = Theme(
        name: "high-contrast", background: .black, text: .white, band: .black, bandText: Canvas.Color(1, 1, 0),
        button: Canvas.Color(1, 1, 0), buttonText: .black, pressed: .white, pressedText: .black, chrome: .black,
        chromeText: Canvas.Color(1, 1, 0), banner: Canvas.Color(1, 1, 0), bannerText: .black, error: .black,
        errorText: Canvas.Color(1, 0.6, 0.6), field: .black, fieldText: .white)

    /// WCAG 2.x contrast ratio of two colours, from 1 to 21.
    public static func contrast(_ a: Canvas.Color, _ b: Canvas.Color) -> Double {
        func channel(_ c: Double) -> Double { c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
        func luminance(_ c: Canvas.Color) -> Double {
            0.2126 * channel(c.red) + 0.7152 * channel(c.green) + 0.0722 * channel(c.blue)
        }
        let (l1, l2) = (luminance(a), luminance(b))
        return (max(l1, l2) + 0.05) / (min(l1, l2) + 0.05)
    }
}
