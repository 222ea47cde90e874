import CSystemd
import Foundation
import KioskControl
import Logging
import ServiceLifecycle
import Synchronization

/// Tells systemd how kioskd is doing (`Type=notify`): READY once the control socket answers, a STATUS line with the open
/// faults, WATCHDOG pings while the engine still answers, and STOPPING at shutdown.
///
/// The watchdog ping is sent only after the engine actor answered a question within the interval, so a wedged engine (a
/// frozen screen for residents) stops the pings and systemd restarts kioskd. Without `$NOTIFY_SOCKET` this does nothing.
struct SystemdNotifier: Service {
    let engine: KioskEngine
    let faults: FaultReporter
    let socketPath: String
    let logger: Logger

    func run() async throws {
        guard ProcessInfo.processInfo.environment["NOTIFY_SOCKET"] != nil else {
            try? await gracefulShutdown()
            return
        }
        var usec: UInt64 = 0
        let watchdog = sd_watchdog_enabled(0, &usec) > 0 && usec > 0
        let interval: Duration = watchdog ? .microseconds(Int64(usec / 2)) : .seconds(10)
        await cancelWhenGracefulShutdown {
            // READY only once technicians (and systemd's ExecStartPost checks) can talk to it.
            while !Task.isCancelled && SocketProbe.check(socketPath) != .listening {
                try? await Task.sleep(for: .milliseconds(20))
            }
            Self.notify("READY=1\nSTATUS=\(await status())")
            logger.info("systemd: ready\(watchdog ? ", watchdog every \(interval)" : "")")
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled else { break }
                if watchdog {
                    guard await answers(within: interval) else {
                        logger.critical("systemd: the engine did not answer within \(interval); no watchdog ping")
                        continue
                    }
                    Self.notify("WATCHDOG=1")
                }
                Self.notify("STATUS=\(await status())")
            }
        }
        Self.notify("STOPPING=1")
    }

    /// One line for `systemctl status`: serving or out of order, and how many faults are open. No personal data.
    func status() async -> String {
        let open = await faults.openRecords.count
        let serving = await engine.isOutOfOrder ? "out of order" : "serving"
        return "\(serving), \(open == 0 ? "no open faults" : "\(open) open faults (kioskctl faults)")"
    }

    /// Whether the engine answers a question before `limit`. The question runs in a task of its own, so a wedged engine
    /// leaves that task waiting, not the notifier.
    func answers(within limit: Duration) async -> Bool {
        let answered = Answered()
        Task { [engine] in
            _ = await engine.isOutOfOrder
            answered.flag.store(true, ordering: .releasing)
        }
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if answered.flag.load(ordering: .acquiring) { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return answered.flag.load(ordering: .acquiring)
    }

    final class Answered: Sendable {
        let flag = Atomic(false)
    }

    static func notify(_ state: String) {
        _ = sd_notify(0, state)
    }
}
