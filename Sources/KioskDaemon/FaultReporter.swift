import Alerting
import Central
import Foundation
import KioskControl
import KioskCore
import Logging
import Outbox

/// Raises, stores and resolves every fault of the kiosk and its devices, and tells staff through each configured sink.
///
/// The rules (hysteresis, flapping, acknowledge, out of service) live in the pure ``FaultBook``; this actor feeds it what the
/// drivers and checks see, stores each change in the ``FaultStore`` and puts each raise and resolve in the outbox, one queue
/// per sink, so a fault raised offline or while Alertmanager is down arrives later. A change that cannot be stored (the disk
/// is full) is kept in memory and stored at the next check.
actor FaultReporter {
    let outbox: Outbox
    let store: FaultStore
    let sinks: [AlertSink]
    /// How long the central may stay unreachable before staff hear of it.
    let unreachableAfter: Duration
    let logger: Logger
    private(set) var book: FaultBook
    private var unsaved: [Int64: FaultBook.Record] = [:]
    /// Notifications not yet in the outbox, oldest first.
    private var unsent: [ServiceRequest] = []
    private var flushing = false
    private var lastRefresh: [String: Date] = [:]
    private var unreachableSince: Date?
    /// The fault each device has now, by device id: a status change clears the old one and raises the new.
    private var deviceFaults: [String: Fault] = [:]

    init(
        outbox: Outbox, store: FaultStore, sinks: [AlertSink], settings: FaultBook.Settings, unreachableAfter: Duration,
        logger: Logger
    ) async throws(AlertingError) {
        self.outbox = outbox
        self.store = store
        self.sinks = sinks
        self.unreachableAfter = unreachableAfter
        self.logger = logger
        do {
            book = FaultBook(
                settings: settings, stored: try await store.openRecords(), lastID: try await store.newest()?.id ?? 0,
                outOfService: try await store.outOfService())
        } catch {
            throw AlertingError("cannot read the fault store: \(error)")
        }
    }

    // MARK: - What the drivers and checks see

    func raise(_ fault: Fault, now: Date = Date()) async {
        await apply(book.observe(fault, at: now.timeIntervalSince1970))
    }

    /// The condition is gone; the fault resolves after the hysteresis.
    func resolve(_ fault: Fault, now: Date = Date()) async {
        await apply(book.cleared(fault.key, at: now.timeIntervalSince1970))
    }

    /// A device's status, from its events or a health poll: the same status twice changes nothing.
    ///
    /// Every open status fault of the device that the new status does not mean is cleared, including one stored before a
    /// restart (the paper was refilled while kioskd was down); faults of another kind (a failed job) are left alone.
    func device(_ id: String, _ deviceClass: DeviceClass, status: DeviceStatus, now: Date = Date()) async {
        let fault = Fault.device(id, deviceClass, status: status)
        deviceFaults[id] = fault
        let stale = book.openRecords.filter {
            $0.fault.device == id && Fault.statusCodes.contains($0.fault.code) && $0.fault.key != fault?.key
                && $0.clearedAt == nil
        }
        for record in stale { await resolve(record.fault, now: now) }
        if let fault { await raise(fault, now: now) }
    }

    /// What the gateway and the drainer learn each time they talk to the central.
    func central(reachable: Bool, now: Date = Date()) async {
        if reachable {
            unreachableSince = nil
            await resolve(Fault.centralUnreachable(minutes: minutes), now: now)
        } else if unreachableSince == nil {
            unreachableSince = now
        }
    }

    var minutes: Int { max(1, Int((unreachableAfter.seconds / 60).rounded())) }

    /// The central's outage against its threshold, for the health checks.
    func centralCheck(now: Date) -> HealthCheck {
        guard let since = unreachableSince else { return HealthCheck(name: "central", ok: true, detail: "reachable") }
        let seconds = Int(now.timeIntervalSince(since))
        let failing = Double(seconds) >= unreachableAfter.seconds
        return HealthCheck(
            name: "central", ok: !failing, detail: "unreachable for \(seconds) s",
            fault: failing ? Fault.centralUnreachable(minutes: minutes) : nil,
            clears: failing ? nil : Fault.centralUnreachable(minutes: minutes))
    }

    /// Applies what the health checks found: a failing check raises its fault, a passing one clears it.
    func apply(_ checks: [HealthCheck], now: Date = Date()) async {
        for check in checks {
            if let fault = check.fault { await raise(fault, now: now) }
            if let cleared = check.clears { await resolve(cleared, now: now) }
        }
        await apply(book.tick(at: now.timeIntervalSince1970))
        await refresh(now: now)
        await flush()
    }

    // MARK: - What technicians do

    /// Staff are on it: Alertmanager silences the fault (see ``AlertSink/silenceHours``), and a webhook hears it is
    /// acknowledged.
    func acknowledge(_ id: Int64, now: Date = Date()) async -> FaultBook.Record? {
        guard let change = book.acknowledge(id, at: now.timeIntervalSince1970) else { return nil }
        let record = change.record
        logger.notice("fault \(record.fault.key) #\(record.id) acknowledged")
        let alerts = [AlertBatch.Alert(record)]
        for sink in sinks {
            switch sink.kind {
            case .alertmanager where sink.silenceHours > 0:
                let until = now.timeIntervalSince1970 + Double(sink.silenceHours) * 3600
                unsent.append(.deliverAlert(AlertBatch(sink: sink.name, alerts: alerts, silence: .set(until: until))))
            case .webhook: unsent.append(.deliverAlert(AlertBatch(sink: sink.name, alerts: alerts)))
            case .alertmanager, .central: break
            }
        }
        await apply([change])
        return record
    }

    func resolveByHand(_ id: Int64, now: Date = Date()) async -> FaultBook.Record? {
        guard let change = book.resolveByHand(id, at: now.timeIntervalSince1970) else { return nil }
        await apply([change])
        return change.record
    }

    /// Out of service: its faults are resolved and it raises none until it is back; in service: its present fault (if the
    /// driver still reports one) is raised again.
    func setService(_ device: String, inService: Bool, now: Date = Date()) async throws(AlertingError) {
        try await store.setOutOfService(device, !inService)
        if inService {
            book.returnToService(device)
            logger.notice("device \(device) back in service")
            if let fault = deviceFaults[device] { await raise(fault, now: now) }
        } else {
            logger.notice("device \(device) taken out of service")
            await apply(book.takeOutOfService(device, at: now.timeIntervalSince1970))
        }
    }

    /// How long resolved faults stay in the store's history (`kioskctl faults list --all`, the diagnostic bundle).
    static let history: Duration = .seconds(90 * 86_400)

    /// Forgets resolved faults: from memory once they can no longer count as flapping, from the store after the history.
    func purge(now: Date = Date()) async {
        book.forget(resolvedBefore: now.timeIntervalSince1970 - max(book.settings.flapWindow, 3600))
        if let purged = try? await store.purge(resolvedBefore: now.addingTimeInterval(-Self.history.seconds)), purged > 0 {
            logger.info("faults: purged \(purged) resolved faults older than 90 days")
        }
    }

    var outOfService: Set<String> { book.outOfService }
    var openRecords: [FaultBook.Record] { book.openRecords }

    func history(limit: Int) async -> [FaultBook.Record] {
        (try? await store.history(limit: limit)) ?? book.records.values.sorted { $0.id > $1.id }
    }

    // MARK: - Storing and telling staff

    private func apply(_ changes: [FaultBook.Change]) async {
        for change in changes {
            let record = change.record
            unsaved[record.id] = record
            switch change {
            case .raised:
                logger.warning(
                    "fault raised: \(record.fault.key) #\(record.id) (\(record.fault.severity.rawValue), \(record.fault.action.rawValue))"
                )
                notify(record)
            case .resolved:
                logger.notice("fault resolved: \(record.fault.key) #\(record.id)\(record.resolvedBy.map { " by \($0)" } ?? "")")
                notify(record)
            case .updated: break
            }
        }
        if !changes.isEmpty { await flush() }
    }

    private func notify(_ record: FaultBook.Record) {
        for sink in sinks {
            switch sink.kind {
            case .central:
                let change: FaultReport.Change = record.state == .resolved ? .resolved : .raised
                unsent.append(
                    .reportFault(FaultReport(fault: record.fault, change: change, at: record.resolvedAt ?? record.firstSeen)))
            case .alertmanager, .webhook:
                let alerts = [AlertBatch.Alert(record)]
                // An acknowledged fault is silenced: lifted before its resolve, or Alertmanager would mute that too.
                if sink.kind == .alertmanager, record.state == .resolved, record.acknowledgedAt != nil, sink.silenceHours > 0 {
                    unsent.append(.deliverAlert(AlertBatch(sink: sink.name, alerts: alerts, silence: .lift)))
                }
                unsent.append(.deliverAlert(AlertBatch(sink: sink.name, alerts: alerts)))
            }
        }
    }

    /// Alertmanager forgets alerts after its resolve_timeout and on restart: every open fault is sent again now and then,
    /// but only when that sink's queue is empty, so an outage never piles up refreshes.
    private func refresh(now: Date) async {
        let open = book.openRecords
        for sink in sinks {
            guard let every = sink.refreshSeconds, !open.isEmpty else { continue }
            if let last = lastRefresh[sink.name], now.timeIntervalSince(last) < Double(every) { continue }
            let batch = AlertBatch(sink: sink.name, alerts: open.map(AlertBatch.Alert.init))
            guard let waiting = try? await outbox.backlog(queue: ServiceRequest.deliverAlert(batch).queue), waiting == 0 else {
                continue
            }
            lastRefresh[sink.name] = now
            unsent.append(.deliverAlert(batch))
        }
    }

    /// Stores the changed records and queues the notifications, in order. The actor is re-entered at every await (a USB
    /// fault and a device event can arrive together), so one flush at a time does the work and the others leave it to it:
    /// two at once would queue a notification twice, or a resolve before its raise.
    private func flush() async {
        guard !flushing else { return }
        flushing = true
        defer { flushing = false }
        while !unsaved.isEmpty || !unsent.isEmpty {
            if !unsaved.isEmpty {
                let batch = unsaved
                do {
                    try await store.save(batch.values.sorted { $0.id < $1.id })
                    // Only what was saved: a record changed again meanwhile stays for the next round.
                    for (id, record) in batch where unsaved[id] == record { unsaved[id] = nil }
                } catch {
                    logger.error("\(unsaved.count) fault changes not stored yet: \(error)")
                    return
                }
            }
            while let request = unsent.first {
                let delivery = Delivery(reference: KioskReference.make(), idempotencyKey: UUID().uuidString)
                do {
                    _ = try await outbox.enqueue(request, delivery: delivery)
                    unsent.removeFirst()
                } catch {
                    logger.error("\(unsent.count) fault notifications not queued yet: \(error)")
                    return
                }
            }
        }
    }
}
