/// A terminal's words on their way into a log line, the journal or the central: printable, short, and with every run of
/// seven or more digits masked, so that a terminal that puts a card number where a brand, a reason or an id belongs never
/// gets it written down.
public enum OPIText {
    public static func scrub(_ text: String, limit: Int = 80) -> String {
        var out = ""
        var digits = ""
        func flush() {
            out += digits.count >= 7 ? "…" : digits
            digits = ""
        }
        for scalar in text.unicodeScalars.prefix(limit * 2) {
            if scalar.properties.numericType == .decimal || ("0"..."9").contains(scalar) {
                digits.unicodeScalars.append(scalar)
                continue
            }
            flush()
            if scalar.value >= 0x20, scalar.value != 0x7F, !(0x80..<0xA0).contains(scalar.value),
                scalar.properties.generalCategory != .format
            {
                out.unicodeScalars.append(scalar)
            }
        }
        flush()
        return String(out.prefix(limit))
    }

    /// An id (a STAN, a terminal id): 1 to `limit` ASCII letters and digits, or nil.
    public static func id(_ text: String?, limit: Int) -> String? {
        guard let text, (1...limit).contains(text.count), text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { return nil }
        return text
    }
}
