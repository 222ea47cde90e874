import Central
import Foundation
import KioskControl
import KioskCore
import Logging
import Outbox
import ServiceLifecycle

/// Raises and resolves the kiosk's own faults for staff: the central unreachable for too long, refused requests (dead
/// letters), a full disk. Each is raised once while it lasts, and every change goes to the central through the outbox, so a
/// fault raised offline arrives when the connection is back.
///
/// A change that cannot be stored (the disk is full) is kept in memory and stored at the next check. The alerting issue
/// adds persistence across restarts, hysteresis, device faults and Alertmanager on top of this.
actor FaultReporter {
    struct Active: Sendable {
        var fault: Fault
        var since: Date
    }

    let outbox: Outbox
    /// How long the central may stay unreachable before staff hear of it.
    let unreachableAfter: Duration
    let logger: Logger
    private(set) var active: [String: Active] = [:]
    /// Changes not yet in the outbox, oldest first.
    private var unsent: [FaultReport] = []
    private var unreachableSince: Date?

    init(outbox: Outbox, unreachableAfter: Duration, logger: Logger) {
        self.outbox = outbox
        self.unreachableAfter = unreachableAfter
        self.logger = logger
    }

    func raise(_ fault: Fault, now: Date = Date()) async {
        guard active[fault.key] == nil else { return }
        active[fault.key] = Active(fault: fault, since: now)
        logger.warning("fault raised: \(fault.key) (\(fault.severity.rawValue), \(fault.action.rawValue))")
        await send(FaultReport(fault: fault, change: .raised, at: now.timeIntervalSince1970))
    }

    func resolve(_ fault: Fault, now: Date = Date()) async {
        guard let was = active.removeValue(forKey: fault.key) else { return }
        logger.notice("fault resolved: \(fault.key)")
        await send(FaultReport(fault: was.fault, change: .resolved, at: now.timeIntervalSince1970))
    }

    /// The fault each device has now, by device id: a status change resolves the old one and raises the new.
    private var deviceFaults: [String: Fault] = [:]

    /// A device's new status (the drivers apply their own hysteresis, so this is not a flap).
    func device(_ id: String, _ deviceClass: DeviceClass, status: DeviceStatus, now: Date = Date()) async {
        let fault = Fault.device(id, deviceClass, status: status)
        guard fault != deviceFaults[id] else { return }
        if let old = deviceFaults[id] { await resolve(old, now: now) }
        deviceFaults[id] = fault
        if let fault { await raise(fault, now: now) }
    }

    /// What the gateway and the drainer learn each time they talk to the central.
    func central(reachable: Bool, now: Date = Date()) async {
        if reachable {
            unreachableSince = nil
            await resolve(Fault.centralUnreachable(minutes: minutes))
        } else if unreachableSince == nil {
            unreachableSince = now
        }
    }

    /// The periodic look: the central's outage against the threshold, dead letters in the queue, changes not yet stored.
    func check(now: Date = Date()) async {
        if let since = unreachableSince, now.timeIntervalSince(since) >= unreachableAfter.seconds {
            await raise(Fault.centralUnreachable(minutes: minutes), now: now)
        }
        if let dead = try? await outbox.deadCount() {
            if dead > 0 { await raise(Fault.deadLetter, now: now) } else { await resolve(Fault.deadLetter, now: now) }
        }
        await flush()
    }

    var minutes: Int { max(1, Int((unreachableAfter.seconds / 60).rounded())) }

    var report: [StatusReport.FaultReport] {
        active.values.sorted { $0.since < $1.since }.map {
            StatusReport.FaultReport(
                device: $0.fault.device, code: $0.fault.code, severity: $0.fault.severity.rawValue,
                action: $0.fault.action.rawValue, summary: $0.fault.summary, since: $0.since)
        }
    }

    private func send(_ report: FaultReport) async {
        unsent.append(report)
        await flush()
    }

    private func flush() async {
        while let report = unsent.first {
            let delivery = Delivery(reference: KioskReference.make(), idempotencyKey: UUID().uuidString)
            do {
                _ = try await outbox.enqueue(.reportFault(report), delivery: delivery)
                unsent.removeFirst()
            } catch {
                logger.error("fault \(report.fault.key) \(report.change.rawValue) not stored yet: \(error)")
                return
            }
        }
    }
}

/// Runs the fault checks every few seconds.
struct HealthService: Service {
    let faults: FaultReporter
    let interval: Duration

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                await faults.check()
            }
        }
    }
}
