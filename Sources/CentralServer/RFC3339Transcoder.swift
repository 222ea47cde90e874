import Foundation
import OpenAPIRuntime

/// RFC 3339 date-times as the contract's `format: date-time` allows them, read by the grammar itself: fractional seconds
/// or none, `Z` or any offset up to ±23:59, any year from 0000 (Foundation's parsers refuse some of these). Written in UTC
/// without fractions.
struct RFC3339Transcoder: DateTranscoder {
    func encode(_ date: Date) throws -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }

    func decode(_ text: String) throws -> Date {
        let pattern = /(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:([Zz])|([+-])(\d{2}):(\d{2}))/
        guard let m = text.wholeMatch(of: pattern), let year = Int(m.1), let month = Int(m.2), let day = Int(m.3),
            let hour = Int(m.4), let minute = Int(m.5), let second = Int(m.6), (1...12).contains(month),
            (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { throw Self.invalid }
        var offset = 0
        if let sign = m.9, let hours = Int(m.10 ?? ""), let minutes = Int(m.11 ?? "") {
            guard hours < 24, minutes < 60 else { throw Self.invalid }
            offset = (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: min(second, 59))
        guard calendar.date(from: parts).map({ calendar.component(.day, from: $0) == day }) == true,
            let base = calendar.date(from: parts)
        else { throw Self.invalid }
        let fraction = m.7.flatMap { Double("0" + $0) } ?? 0
        return base.addingTimeInterval(fraction - Double(offset))
    }

    static let invalid = DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not an RFC 3339 date-time"))
}
