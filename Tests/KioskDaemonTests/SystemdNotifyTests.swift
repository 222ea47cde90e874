import Foundation
import KioskTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// kioskd under a `Type=notify` unit, with the test standing in for systemd: a datagram socket of its own as
/// `$NOTIFY_SOCKET`, and `$WATCHDOG_USEC` set.
@Suite struct SystemdNotifyTests {
    @Test func readyStatusWatchdogAndStopping() async throws {
        let dir = try Harness.scratch()
        let notify = try NotifySocket(path: dir + "/notify.sock")
        let kiosk = try await RunningKiosk(
            reusing: dir, environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "400000"])
        _ = try await kiosk.ctl("sim", "printer", "paper-out")
        let first = notify.collect(for: 1.5)
        let ready = try #require(first.first { $0.contains("READY=1") })
        #expect(ready.contains("STATUS=serving"))
        let pings = first.filter { $0 == "WATCHDOG=1" }.count
        #expect(pings >= 3, "a ping every 200 ms while the engine answers, got \(pings)")
        #expect(first.contains { $0.hasPrefix("STATUS=") && $0.contains("1 open faults") })
        #expect(try await kiosk.stop() == 0)
        #expect(notify.collect(for: 0.3).contains("STOPPING=1") || first.contains("STOPPING=1"))
        try? FileManager.default.removeItem(atPath: dir)
    }
}
