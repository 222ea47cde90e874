/// A date on the calendar, without a time or a zone, as printed on an ID document.
///
/// Kept free of Foundation's `Calendar` so that the core stays pure and the rules are visible.
public struct CalendarDate: Sendable, Equatable, Hashable, Comparable, Codable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Creates a date if it exists on the Gregorian calendar.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CalendarDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `DD-MM-YYYY`, `DD/MM/YYYY`, `DD.MM.YYYY` or `DDMMYYYY`, the way Dutch residents write dates.
    public init?(typed text: String) {
        let digits = text.filter { !" -/.".contains($0) }
        guard digits.count == 8, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let chars = Array(digits)
        guard let day = Int(String(chars[0..<2])), let month = Int(String(chars[2..<4])), let year = Int(String(chars[4..<8])),
            year >= 1900
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// An MRZ date `YYMMDD`, put in the century that brings it within 50 years of `reference`.
    public init?(mrz: String, near reference: CalendarDate) {
        guard mrz.count == 6, mrz.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let digits = Array(mrz).map { $0.wholeNumberValue! }
        let yy = digits[0] * 10 + digits[1]
        var year = reference.year - reference.year % 100 + yy
        if year > reference.year + 50 { year -= 100 } else if year < reference.year - 50 { year += 100 }
        self.init(year: year, month: digits[2] * 10 + digits[3], day: digits[4] * 10 + digits[5])
    }

    /// The same day `months` later; the last day of the month where that day does not exist (31 January + 1 month).
    public func adding(months: Int) -> CalendarDate {
        let index = year * 12 + (month - 1) + months
        let (y, m) = (index / 12, index % 12 + 1)
        return CalendarDate(year: y, month: m, day: min(day, CalendarDate.daysIn(month: m, year: y)))!
    }

    /// The six MRZ digits `YYMMDD`.
    public var mrz: String {
        pad(year % 100) + pad(month) + pad(day)
    }

    /// `DD-MM-YYYY`, for screens and print.
    public var display: String { "\(pad(day))-\(pad(month))-\(year)" }
    /// YYYY-MM-DD, for keys and files.
    public var iso: String { "\(year)-\(pad(month))-\(pad(day))" }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
