public import Foundation

/// Reads a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds, or an HTTP date.
///
/// A date is measured against the answer's own `Date` header when there is one, so a central whose clock is hours off still
/// asks for the delay it meant; only without a `Date` is the kiosk's clock used. Whatever it says, the kiosk waits at most an
/// hour: a broken or hostile central must not park the queue for days. Unreadable values count as absent.
public enum RetryAfter {
    public static let longest: Duration = .seconds(3600)

    public static func delay(_ value: String?, serverDate: String?, now: Date) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        let seconds: Double
        if value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            // More than 10 digits is past any sensible delay (and past Int on overflow): the longest wait.
            seconds = value.count > 10 ? longest.seconds : Double(value) ?? 0
        } else if let date = httpDate(value) {
            seconds = date.timeIntervalSince(serverDate.flatMap(httpDate) ?? now)
        } else {
            return nil
        }
        return .milliseconds(Int64(min(max(seconds, 0), longest.seconds) * 1000))
    }

    /// IMF-fixdate, the form RFC 9110 requires senders to use: `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func httpDate(_ text: String) -> Date? {
        guard text.count <= 64 else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text)
    }
}
