/// A PWG 5101.1 self-describing media name (`iso_a4_210x297mm`, `oe_80mm-roll_80x150mm`, `roll_max_80x3276.7mm`,
/// `na_letter_8.5x11in`), read for its size. Pure; a name that does not parse is nil.
public struct MediaSize: Sendable, Equatable {
    public var name: String
    public var widthMillimetres: Double
    public var heightMillimetres: Double

    public init?(pwg name: String) {
        guard name.count <= 128, let last = name.split(separator: "_").last else { return nil }
        let unit: Double
        var dimensions = Substring(last)
        if dimensions.hasSuffix("mm") {
            unit = 1
        } else if dimensions.hasSuffix("in") {
            unit = 25.4
        } else {
            return nil
        }
        dimensions = dimensions.dropLast(2)
        let parts = dimensions.split(separator: "x")
        guard parts.count == 2, let width = Double(parts[0]), let height = Double(parts[1]), width > 0, height >= 0,
            width.isFinite, height.isFinite
        else { return nil }
        self.name = name
        widthMillimetres = width * unit
        heightMillimetres = height * unit
    }

    /// Roll paper, as receipt printers carry: named a roll, or narrower than any sheet a kiosk prints on (A5 is 148 mm).
    public var isRoll: Bool { name.hasPrefix("roll_") || name.contains("-roll") || widthMillimetres <= 120 }
}
