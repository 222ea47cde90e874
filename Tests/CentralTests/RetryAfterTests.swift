import Central
import Foundation
import Testing

@Suite struct RetryAfterTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)  // Wed, 18 Nov 2026 11:06:40 GMT

    @Test func secondsAreTakenAsTheyAreUpToAnHour() {
        #expect(RetryAfter.delay("7", serverDate: nil, now: now) == .seconds(7))
        #expect(RetryAfter.delay(" 0 ", serverDate: nil, now: now) == .zero)
        #expect(RetryAfter.delay("86400", serverDate: nil, now: now) == RetryAfter.longest)
        #expect(RetryAfter.delay("99999999999999999999999", serverDate: nil, now: now) == RetryAfter.longest)
    }

    @Test func aDateIsReadAgainstTheServersOwnClock() {
        // The server's clock is a day ahead; its date means 2 minutes, whatever the kiosk's clock says.
        let retry = "Thu, 19 Nov 2026 11:08:40 GMT"
        #expect(RetryAfter.delay(retry, serverDate: "Thu, 19 Nov 2026 11:06:40 GMT", now: now) == .seconds(120))
        // Without a Date header the kiosk's clock is all there is, and the wait is capped.
        #expect(RetryAfter.delay(retry, serverDate: nil, now: now) == RetryAfter.longest)
        #expect(RetryAfter.delay("Tue, 17 Nov 2026 11:06:40 GMT", serverDate: nil, now: now) == .zero)
    }

    @Test func garbageCountsAsAbsent() {
        for value in ["", "soon", "-5", "1e3", "Thu, 19 Nov 2026", String(repeating: "A", count: 500)] {
            #expect(RetryAfter.delay(value, serverDate: nil, now: now) == nil, "\(value.prefix(20))")
        }
        #expect(RetryAfter.delay(nil, serverDate: nil, now: now) == nil)
    }
}
