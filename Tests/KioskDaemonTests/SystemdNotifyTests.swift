import Foundation
import KioskTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// kioskd under a `Type=notify` unit, with the test standing in for systemd: a datagram socket of its own as
/// `$NOTIFY_SOCKET`, and `$WATCHDOG_USEC` set.
@Suite struct SystemdNotifyTests {
    /// A bound AF_UNIX datagram socket that collects what arrives.
    final class NotifySocket: @unchecked Sendable {
        let path: String
        let fd: Int32

        init(path: String) throws {
            self.path = path
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (i, byte) in path.utf8.enumerated() { raw[i] = byte }
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard bound == 0 else { throw HarnessError("cannot bind \(path)") }
            var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        /// Every datagram that arrives within `seconds`.
        func collect(for seconds: Double) -> [String] {
            var messages: [String] = []
            let end = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while Date() < end {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n > 0 { messages.append(String(decoding: buffer[0..<n], as: UTF8.self)) }
            }
            return messages
        }

        deinit { close(fd) }
    }

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
