import Foundation
import KioskCore

extension CalendarDate {
    /// Today on the kiosk's own calendar (the system's time zone: a municipality runs its kiosks on local time).
    static func today(_ now: Date = Date()) -> CalendarDate {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: .current, from: now)
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}
