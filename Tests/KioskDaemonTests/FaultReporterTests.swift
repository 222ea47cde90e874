import Central
import Foundation
import GRDB
import KioskCore
import KioskTesting
import Logging
import Testing

@testable import KioskDaemon
@testable import Outbox

/// The kiosk's own faults: raised once while they last, every change through the outbox, nothing lost on a full disk.
@Suite struct FaultReporterTests {
    let dir: String
    let outbox: Outbox
    let faults: FaultReporter

    init() throws {
        dir = try Harness.scratch()
        outbox = try Outbox(path: dir + "/outbox.sqlite", keyPath: dir + "/outbox.key")
        faults = FaultReporter(outbox: outbox, unreachableAfter: .seconds(120), logger: Logger(label: "test"))
    }

    func reports() async throws -> [FaultReport] {
        try await outbox.due(at: .distantFuture).compactMap {
            if case .reportFault(let report) = $0.request { report } else { nil }
        }
    }

    func changes() async throws -> [String] {
        // Entries of one kind are handed out one at a time, oldest first: deliver each to see the next.
        var seen: [String] = []
        while let entry = try await outbox.due(at: .distantFuture).first(where: { $0.kind == .faultReport }) {
            if case .reportFault(let report) = entry.request { seen.append("\(report.fault.key) \(report.change.rawValue)") }
            try await outbox.markDelivered(entry.id)
        }
        return seen
    }

    @Test func anOutageIsRaisedOnlyPastTheThresholdAndOnce() async throws {
        let start = Date()
        await faults.central(reachable: false, now: start)
        await faults.check(now: start.addingTimeInterval(60))
        #expect(await faults.active.isEmpty, "one minute is not yet two")
        await faults.check(now: start.addingTimeInterval(121))
        await faults.check(now: start.addingTimeInterval(200))
        await faults.central(reachable: false, now: start.addingTimeInterval(210))
        #expect(await faults.active.keys.sorted() == ["central.unreachable"])
        await faults.central(reachable: true, now: start.addingTimeInterval(300))
        #expect(await faults.active.isEmpty)
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
        #expect(await faults.active.keys.sorted() == ["kiosk.disk-full"])
        #expect(try await reports().isEmpty)

        try await outbox.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = 1000000") }
        await faults.check()
        #expect(try await changes() == ["kiosk.disk-full raised"])
    }

    @Test func deadLettersRaiseAFaultUntilTheQueueHasNone() async throws {
        let id = try await outbox.enqueue(
            .callStaff(StaffCall(flow: nil, step: nil, language: .nl)),
            delivery: Delivery(reference: "TLB-1", idempotencyKey: UUID().uuidString))
        try await outbox.markDead(id, reason: "refused")
        await faults.check()
        #expect(await faults.active.keys.sorted() == ["outbox.dead-letter"])
        #expect(try await outbox.drop(id))
        await faults.check()
        #expect(await faults.active.isEmpty)
        #expect(try await changes() == ["outbox.dead-letter raised", "outbox.dead-letter resolved"])
    }

    @Test func aDeviceStatusChangeResolvesTheOldFaultAndRaisesTheNew() async throws {
        await faults.device("receipt", .printer, status: DeviceStatus(state: .online, paper: .full))
        await faults.device("receipt", .printer, status: DeviceStatus(state: .online, paper: .low))
        await faults.device("receipt", .printer, status: DeviceStatus(state: .online, paper: .out))
        await faults.device("receipt", .printer, status: DeviceStatus(state: .online, paper: .out))
        #expect(await faults.active["receipt.paper-out"]?.fault.action == .clear)
        await faults.device("receipt", .printer, status: DeviceStatus(state: .online, paper: .full))
        #expect(await faults.active.isEmpty)
        #expect(
            try await changes() == [
                "receipt.paper-low raised", "receipt.paper-low resolved", "receipt.paper-out raised",
                "receipt.paper-out resolved",
            ])
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
