import Alerting
import Central
import Foundation
import GRDB
import KioskCore
import KioskControl
import KioskDevices
import KioskTesting
import Logging
import Testing

@testable import KioskDaemon
@testable import Outbox

/// The kiosk's faults: raised once while they last, stored, every change through the outbox to each sink, nothing lost on a
/// full disk or a restart.
@Suite struct FaultReporterTests {
    let dir: String
    let outbox: Outbox
    let faults: FaultReporter
    static let sinks = [
        AlertSink(name: "central", kind: .central),
        AlertSink(name: "am", kind: .alertmanager, url: URL(string: "http://127.0.0.1:1"), refreshSeconds: 60),
    ]

    init() async throws {
        dir = try Harness.scratch()
        outbox = try Outbox(path: dir + "/outbox.sqlite", keyPath: dir + "/outbox.key")
        faults = try await Self.reporter(dir, outbox)
    }

    static func reporter(_ dir: String, _ outbox: Outbox, clearAfter: Double = 0, sinks: [AlertSink] = sinks) async throws
        -> FaultReporter
    {
        try await FaultReporter(
            outbox: outbox, store: try FaultStore(path: dir + "/faults.sqlite"), sinks: sinks,
            settings: .init(clearAfter: clearAfter), unreachableAfter: .seconds(120), logger: Logger(label: "test"))
    }

    var open: [String] { get async { await faults.openRecords.map(\.fault.key) } }

    func check(_ now: Date = Date()) async {
        let checks = await HealthMonitor.kioskChecks(
            faults: faults, outbox: outbox, stateDirectory: dir, thresholds: .init(minFreeMegabytes: 0), now: now)
        await faults.apply(checks, now: now)
    }

    /// What reached one queue, delivering each entry to see the next (a queue hands out its oldest first).
    func changes(queue: String = "faultReport") async throws -> [String] {
        var seen: [String] = []
        while let entry = try await outbox.due(at: .distantFuture).first(where: { $0.queue == queue }) {
            switch entry.request {
            case .reportFault(let report): seen.append("\(report.fault.key) \(report.change.rawValue)")
            case .deliverAlert(let batch):
                let what = batch.alerts.map { alert in
                    switch batch.silence {
                    case .set(let until): "\(alert.fault.key) silenced for \(Int(until - Date().timeIntervalSince1970 + 30) / 3600) h"
                    case .lift: "\(alert.fault.key) silence lifted"
                    case nil:
                        "\(alert.fault.key) \(alert.endsAt == nil ? "firing" : "resolved")\(alert.acknowledged ? " acknowledged" : "")"
                    }
                }
                seen.append(what.joined(separator: ", "))
            default: break
            }
            try await outbox.markDelivered(entry.id)
        }
        return seen
    }

    @Test func anOutageIsRaisedOnlyPastTheThresholdAndOnce() async throws {
        let start = Date()
        await faults.central(reachable: false, now: start)
        await check(start.addingTimeInterval(60))
        #expect(await open.isEmpty, "one minute is not yet two")
        await check(start.addingTimeInterval(121))
        await check(start.addingTimeInterval(200))
        await faults.central(reachable: false, now: start.addingTimeInterval(210))
        #expect(await open == ["central.unreachable"])
        await faults.central(reachable: true, now: start.addingTimeInterval(300))
        #expect(await open.isEmpty)
        #expect(try await changes() == ["central.unreachable raised", "central.unreachable resolved"])
    }

    @Test func aFullDiskKeepsTheChangeInMemoryUntilItCanBeStored() async throws {
        try await outbox.pool.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 1
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
        }
        // Fill what is left, so that the fault itself cannot be stored either.
        for n in 0..<200 {
            let delivery = Delivery(reference: "TLB-\(n)", idempotencyKey: UUID().uuidString)
            do {
                _ = try await outbox.enqueue(.callStaff(StaffCall(flow: nil, step: nil, language: .nl)), delivery: delivery)
            } catch { break }
        }
        await faults.raise(.diskFull)
        #expect(await open == ["kiosk.disk-full"])
        #expect(try await changes().isEmpty)

        try await outbox.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = 1000000") }
        await check()
        #expect(try await changes() == ["kiosk.disk-full raised"])
    }

    @Test func deadLettersRaiseAFaultUntilTheQueueHasNone() async throws {
        let id = try await outbox.enqueue(
            .callStaff(StaffCall(flow: nil, step: nil, language: .nl)),
            delivery: Delivery(reference: "TLB-1", idempotencyKey: UUID().uuidString))
        try await outbox.markDead(id, reason: "refused")
        await check()
        #expect(await open == ["outbox.dead-letter"])
        #expect(try await outbox.drop(id))
        await check()
        #expect(await open.isEmpty)
        #expect(try await changes() == ["outbox.dead-letter raised", "outbox.dead-letter resolved"])
    }

    @Test func aDeviceStatusChangeResolvesTheOldFaultAndRaisesTheNew() async throws {
        await faults.device("receipt", .printer, status: DeviceStatus(state: .online, paper: .full))
        await faults.device("receipt", .printer, status: DeviceStatus(state: .online, paper: .low))
        await faults.device("receipt", .printer, status: DeviceStatus(state: .online, paper: .out))
        await faults.device("receipt", .printer, status: DeviceStatus(state: .online, paper: .out))
        #expect(await faults.openRecords.first?.fault.action == .clear)
        await faults.device("receipt", .printer, status: DeviceStatus(state: .online, paper: .full))
        #expect(await open.isEmpty)
        let expected = [
            "receipt.paper-low raised", "receipt.paper-low resolved", "receipt.paper-out raised", "receipt.paper-out resolved",
        ]
        #expect(try await changes() == expected)
        #expect(
            try await changes(queue: "alert:am") == [
                "receipt.paper-low firing", "receipt.paper-low resolved", "receipt.paper-out firing",
                "receipt.paper-out resolved",
            ])
    }

    @Test func openFaultsSurviveARestartWithoutBeingRaisedTwice() async throws {
        await faults.raise(.deadLetter)
        let id = try #require(await faults.openRecords.first?.id)
        #expect(await faults.acknowledge(id)?.state == .acknowledged)
        #expect(try await changes() == ["outbox.dead-letter raised"])

        let again = try await Self.reporter(dir, outbox)
        let records = await again.openRecords
        #expect(records.map(\.id) == [id])
        #expect(records.first?.state == .acknowledged, "an acknowledgement survives the restart")
        #expect(records.first?.acknowledgedAt != nil, "and when, so its silence is lifted at the resolve")
        await again.raise(.deadLetter)
        #expect(try await changes().isEmpty, "still the same fault: staff are not told again")
        await again.raise(.diskFull)
        #expect(try #require(await again.openRecords.last?.id) > id, "ids are never given twice")
    }

    /// Acknowledged: Alertmanager silences the fault (its silence is lifted before the resolve, or that would be muted too),
    /// a webhook hears it, and the central's fault report has no such change.
    @Test func anAcknowledgementSilencesAlertmanagerAndTellsAWebhook() async throws {
        var sinks = Self.sinks
        sinks[1].silenceHours = 8
        sinks.append(AlertSink(name: "hook", kind: .webhook, url: URL(string: "http://127.0.0.1:1")))
        let faults = try await Self.reporter(dir, outbox, sinks: sinks)
        await faults.raise(.deadLetter)
        let id = try #require(await faults.openRecords.first?.id)
        #expect(await faults.acknowledge(id)?.acknowledgedAt != nil)
        await faults.resolve(.deadLetter)
        #expect(await faults.openRecords.isEmpty)
        #expect(
            try await changes(queue: "alert:am") == [
                "outbox.dead-letter firing", "outbox.dead-letter silenced for 8 h", "outbox.dead-letter silence lifted",
                "outbox.dead-letter resolved",
            ])
        #expect(
            try await changes(queue: "alert:hook") == [
                "outbox.dead-letter firing", "outbox.dead-letter firing acknowledged", "outbox.dead-letter resolved",
            ])
        #expect(try await changes() == ["outbox.dead-letter raised", "outbox.dead-letter resolved"])
    }

    @Test func aFaultNobodyAcknowledgedResolvesWithoutTouchingSilences() async throws {
        await faults.raise(.deadLetter)
        await faults.resolve(.deadLetter)
        #expect(try await changes(queue: "alert:am") == ["outbox.dead-letter firing", "outbox.dead-letter resolved"])
    }

    @Test func aTechnicianResolvesWhatNoCheckCanClear() async throws {
        let usb = Fault(device: "usb", code: "unknown-dead-beef", severity: .critical, action: .maintenance, summary: "x")
        await faults.raise(usb)
        let id = try #require(await faults.openRecords.first?.id)
        #expect(await faults.resolveByHand(id)?.resolvedBy == "technician")
        #expect(await faults.resolveByHand(id) == nil, "resolving twice is refused")
        #expect(try await changes() == ["usb.unknown-dead-beef raised", "usb.unknown-dead-beef resolved"])
    }

    @Test func aDeviceOutOfServiceRaisesNothingUntilItIsBack() async throws {
        await faults.device("receipt", .printer, status: DeviceStatus(state: .online, paper: .out))
        try await faults.setService("receipt", inService: false)
        #expect(await open.isEmpty)
        await faults.device("receipt", .printer, status: DeviceStatus(state: .offline))
        #expect(await open.isEmpty)
        #expect(try await Self.reporter(dir, outbox).outOfService == ["receipt"], "out of service survives a restart")
        try await faults.setService("receipt", inService: true)
        #expect(await open == ["receipt.offline"], "back in service, its present fault is raised again")
        #expect(
            try await changes() == ["receipt.paper-out raised", "receipt.paper-out resolved", "receipt.offline raised"])
    }

    @Test func alertmanagerGetsEveryOpenFaultAgainButNeverPilesUpRefreshes() async throws {
        let start = Date()
        await faults.raise(.deadLetter, now: start)
        await faults.raise(.diskFull, now: start)
        await faults.apply([], now: start)
        // The raises are still waiting (Alertmanager is down): no refresh joins them.
        #expect(try await outbox.backlog(queue: "alert:am") == 2)
        #expect(try await changes(queue: "alert:am") == ["outbox.dead-letter firing", "kiosk.disk-full firing"])
        await faults.apply([], now: start.addingTimeInterval(30))
        #expect(try await outbox.backlog(queue: "alert:am") == 1, "the queue is empty: every open fault is sent again")
        await faults.apply([], now: start.addingTimeInterval(95))
        #expect(try await outbox.backlog(queue: "alert:am") == 1, "that refresh is not delivered yet: no second one")
        #expect(try await changes(queue: "alert:am") == ["outbox.dead-letter firing, kiosk.disk-full firing"])
        await faults.apply([], now: start.addingTimeInterval(60))
        #expect(try await outbox.backlog(queue: "alert:am") == 0, "less than a minute since the last refresh")
        await faults.apply([], now: start.addingTimeInterval(91))
        #expect(try await outbox.backlog(queue: "alert:am") == 1)
    }

    @Test func faultsArrivingTogetherAreEachQueuedOnceAndInOrder() async throws {
        // USB, devices and checks raise from their own tasks: the reporter is re-entered at every await.
        await withTaskGroup(of: Void.self) { group in
            for n in 0..<40 {
                group.addTask {
                    let fault = Fault(device: "d\(n)", code: "offline", severity: .critical, action: .maintenance, summary: "x")
                    await faults.raise(fault)
                    await faults.resolve(fault)
                }
            }
        }
        let seen = try await changes()
        #expect(seen.count == 80)
        #expect(Set(seen).count == 80, "nothing queued twice")
        for n in 0..<40 {
            let raised = try #require(seen.firstIndex(of: "d\(n).offline raised"))
            let resolved = try #require(seen.firstIndex(of: "d\(n).offline resolved"))
            #expect(raised < resolved)
        }
        #expect(try await Self.reporter(dir, outbox).openRecords.isEmpty, "every change stored")
    }

    @Test func resolvedFaultsAreForgottenAfterTheirHistory() async throws {
        let start = Date()
        await faults.raise(.deadLetter, now: start)
        await faults.resolve(.deadLetter, now: start.addingTimeInterval(1))
        await faults.raise(.diskFull, now: start.addingTimeInterval(2))
        await faults.purge(now: start.addingTimeInterval(30 * 86_400))
        #expect(await faults.history(limit: 10).map(\.fault.key) == ["kiosk.disk-full", "outbox.dead-letter"])
        await faults.purge(now: start.addingTimeInterval(91 * 86_400))
        #expect(await faults.history(limit: 10).map(\.fault.key) == ["kiosk.disk-full"], "an open fault is never purged")
        #expect(await faults.book.records.count == 1)
    }

    @Test func aStatusFaultStoredBeforeARestartClearsWhenTheDeviceIsWellAgain() async throws {
        await faults.device("receipt", .printer, status: DeviceStatus(state: .online, paper: .out))
        await faults.raise(.printFailed("receipt"))
        let again = try await Self.reporter(dir, outbox)
        // The paper was refilled while kioskd was down: the first status after the restart says so.
        await again.device("receipt", .printer, status: DeviceStatus(state: .online, paper: .full))
        #expect(await again.openRecords.map(\.fault.key) == ["receipt.job-failed"], "a failed job is not a status")
    }

    @Test func everyStatusFaultCodeIsKnownAsOne() {
        var codes: Set<String> = []
        for state in DeviceStatus.State.allCases {
            for paper in DeviceStatus.Paper.allCases.map(Optional.some) + [nil] {
                for media in DeviceStatus.Media.allCases.map(Optional.some) + [nil] {
                    let status = DeviceStatus(state: state, paper: paper, media: media)
                    if let fault = Fault.device("d", .printer, status: status) { codes.insert(fault.code) }
                }
            }
        }
        #expect(codes == Fault.statusCodes)
    }

    @Test func statusesMapToFaultsStaffCanActOn() {
        #expect(Fault.device("r", .printer, status: DeviceStatus(state: .online, paper: .full)) == nil)
        #expect(Fault.device("r", .printer, status: DeviceStatus(state: .busy)) == nil)
        #expect(Fault.device("r", .printer, status: DeviceStatus(state: .hardwareError, paper: .jammed))?.code == "paper-jam")
        #expect(Fault.device("r", .printer, status: DeviceStatus(state: .offline))?.severity == .critical)
        let missing = Fault.device("vpcd", .cardReader, status: DeviceStatus(state: .noDevice))
        #expect(missing?.summary == "Kaartlezer vpcd: niet gevonden; is het apparaat losgekoppeld?")
        #expect(missing?.action == .maintenance)
    }
}

/// The screen's own checks: a frame asked for and never drawn, and a touch panel that went silent while residents could use it.
@Suite struct ScreenHealthTests {
    typealias Monitor = HealthMonitor

    @Test func aScreenThatStopsDrawingIsAFault() {
        let stuck = FrontLiveness(askedAt: 1000, drawnAt: 900, hasTouch: false)
        let checks = Monitor.screenChecks(stuck, now: 1031, startedAt: 0, serving: true, thresholds: .init())
        #expect(checks.map(\.ok) == [false])
        #expect(checks.first?.fault == .frontStalled)
        let fine = FrontLiveness(askedAt: 1000, drawnAt: 1000.01, hasTouch: false)
        #expect(Monitor.screenChecks(fine, now: 5000, startedAt: 0, serving: true, thresholds: .init()).first?.clears == .frontStalled)
    }

    @Test func aSilentTouchPanelIsSuspectOnlyWhileInService() {
        let hour = 3600.0
        let silent = FrontLiveness(askedAt: 10, drawnAt: 10, touchedAt: 0, hasTouch: true)
        let serving = Monitor.screenChecks(silent, now: 8 * hour, startedAt: 0, serving: true, thresholds: .init())
        #expect(serving.last?.fault == .touchSilent(hours: 8))
        let outOfOrder = Monitor.screenChecks(silent, now: 8 * hour, startedAt: 0, serving: false, thresholds: .init())
        #expect(outOfOrder.last?.ok == true, "nobody can use an out-of-order kiosk: silence says nothing")
        let recent = FrontLiveness(askedAt: 10, drawnAt: 10, touchedAt: 7 * hour, hasTouch: true)
        #expect(Monitor.screenChecks(recent, now: 8 * hour, startedAt: 0, serving: true, thresholds: .init()).last?.ok == true)
        let neverTouched = FrontLiveness(askedAt: 10, drawnAt: 10, hasTouch: true)
        #expect(
            Monitor.screenChecks(neverTouched, now: 9 * hour, startedAt: 0, serving: true, thresholds: .init()).last?.ok
                == false, "never touched since start counts from the start")
    }
}
