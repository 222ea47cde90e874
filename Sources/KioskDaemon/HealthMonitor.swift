import Foundation
import KioskControl
import KioskCore
import KioskDevices
import Logging
import Outbox
import ServiceLifecycle

/// The periodic look at everything that can break without anyone noticing, after UnifiedPOS checkHealth (internal level):
/// each device's status, the central, the outbox, the disk, and the screen. `kioskctl health` runs the same checks at once.
struct HealthMonitor: Sendable {
    /// The kiosk-level thresholds, from the config's `alerts.checks`.
    struct Thresholds: Sendable, Equatable {
        var backlogEntries = 50
        var oldestEntryMinutes = 30
        var minFreeMegabytes = 200
        /// Hours without a touch while in service before staff are asked to look; nil turns the check off.
        var noTouchHours: Int? = 8
        /// How long the screen may lag behind what it was asked to show.
        var drawStallSeconds = 30
    }

    let faults: FaultReporter
    let outbox: Outbox
    let devices: DeviceSet
    let engine: KioskEngine
    let stateDirectory: String
    /// The trusted CSCAs, whose master list's age is a check of its own.
    let trust: DocumentTrust?
    let thresholds: Thresholds
    /// A panel never touched since start counts as silent from then.
    let startedAt = Date()

    /// Runs every check, applies the findings to the faults, and returns them.
    func run(now: Date = Date()) async -> [HealthCheck] {
        var checks: [HealthCheck] = []
        let outOfService = await faults.outOfService
        for device in devices.all {
            let id = device.profile.id
            guard !outOfService.contains(id) else {
                checks.append(HealthCheck(name: "device \(id)", ok: true, detail: "out of service"))
                continue
            }
            let status = await device.status()
            await faults.device(id, device.deviceClass, status: status, now: now)
            let fault = Fault.device(id, device.deviceClass, status: status)
            checks.append(HealthCheck(name: "device \(id)", ok: fault == nil, detail: status.summary))
        }
        checks += await Self.kioskChecks(
            faults: faults, outbox: outbox, stateDirectory: stateDirectory, thresholds: thresholds, now: now)
        // Below the floor the outbox cannot be trusted to store a request: the flows that store one are not offered.
        let canStore = Self.freeMegabytes(stateDirectory).map { $0 >= Self.storeFloorMegabytes } ?? true
        await engine.send(.storage(canStore: canStore))
        if canStore { await faults.resolve(.diskFull) }
        checks += await screenChecks(now: now)
        if let age = trust?.ageCheck(now: now) { checks.append(age) }
        await faults.apply(checks, now: now)
        return checks
    }

    /// The central, the outbox and the disk.
    static func kioskChecks(
        faults: FaultReporter, outbox: Outbox, stateDirectory: String, thresholds: Thresholds, now: Date
    ) async -> [HealthCheck] {
        var checks = [await faults.centralCheck(now: now)]
        let dead = (try? await outbox.deadCount()) ?? 0
        checks.append(.of("dead letters", failing: dead > 0, detail: "\(dead) refused", fault: .deadLetter))
        let backlog = (try? await outbox.backlog()) ?? 0
        checks.append(
            .of(
                "outbox backlog", failing: backlog > thresholds.backlogEntries,
                detail: "\(backlog) waiting (limit \(thresholds.backlogEntries))", fault: .outboxBacklog(backlog)))
        let oldest = ((try? await outbox.oldestPending()) ?? nil).map { Int(now.timeIntervalSince($0) / 60) } ?? 0
        checks.append(
            .of(
                "outbox age", failing: oldest >= thresholds.oldestEntryMinutes,
                detail: "oldest waiting \(oldest) min (limit \(thresholds.oldestEntryMinutes))",
                fault: .outboxStale(minutes: oldest)))
        if let free = freeMegabytes(stateDirectory) {
            checks.append(
                .of(
                    "disk", failing: free < thresholds.minFreeMegabytes,
                    detail: "\(free) MB free (minimum \(thresholds.minFreeMegabytes))", fault: .diskLow(freeMegabytes: free)))
        }
        return checks
    }

    /// The screen must draw what it was asked to, and a touch panel that nobody touched for hours is suspect, but only
    /// while residents could use the kiosk (not out of order).
    func screenChecks(now: Date) async -> [HealthCheck] {
        guard let display = devices.all.compactMap({ $0 as? any Display }).first(where: { $0.liveness.askedAt != nil })
        else { return [] }
        let serving = !(await engine.isOutOfOrder)
        return Self.screenChecks(
            display.liveness, now: now.timeIntervalSince1970, startedAt: startedAt.timeIntervalSince1970, serving: serving,
            thresholds: thresholds)
    }

    /// The screen checks on what the front says of itself (pure, for the tests).
    static func screenChecks(
        _ life: FrontLiveness, now t: Double, startedAt: Double, serving: Bool, thresholds: Thresholds
    ) -> [HealthCheck] {
        var checks: [HealthCheck] = []
        let behind = (life.askedAt ?? 0) > (life.drawnAt ?? 0) ? t - (life.askedAt ?? t) : 0
        checks.append(
            .of(
                "screen", failing: behind >= Double(thresholds.drawStallSeconds),
                detail: life.drawnAt.map { "last drawn \(Int(t - $0)) s ago" } ?? "nothing drawn yet", fault: .frontStalled))
        if let hours = thresholds.noTouchHours, life.hasTouch {
            let since = life.touchedAt ?? startedAt
            let silent = Int((t - since) / 3600)
            checks.append(
                .of(
                    "touch", failing: serving && silent >= hours, detail: "last touch \(Int(t - since)) s ago",
                    fault: .touchSilent(hours: hours)))
        }
        return checks
    }

    /// Room the outbox needs to store a request with its WAL and a checkpoint, with a margin.
    static let storeFloorMegabytes = 32

    static func freeMegabytes(_ path: String) -> Int? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        return Int(UInt64(info.f_bavail) * UInt64(info.f_frsize) / 1_048_576)
    }
}

/// Runs the health checks every few seconds for the daemon's life.
struct HealthService: Service {
    let monitor: HealthMonitor
    let interval: Duration

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                _ = await monitor.run()
                try? await Task.sleep(for: interval)
            }
        }
    }
}
