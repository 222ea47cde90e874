public import Foundation
public import KioskCore
import Synchronization

/// A receipt printer whose paper and faults are set at run time: `kioskctl sim printer ok|paper-low|paper-out|jam|offline`.
///
/// It keeps no copy of what it printed (a print job can hold personal data), only counters. Option `printMillis` sets how long a
/// job takes (default 600).
public final class SimulatedPrinter: Printer {
    /// The states a technician can put the simulator in.
    public enum Condition: String, Sendable, CaseIterable {
        case ok
        case paperLow = "paper-low"
        case paperOut = "paper-out"
        case jam
        case offline

        var status: DeviceStatus {
            switch self {
            case .ok: DeviceStatus(state: .online, paper: .full)
            case .paperLow: DeviceStatus(state: .online, paper: .low)
            case .paperOut: DeviceStatus(state: .online, paper: .out)
            case .jam: DeviceStatus(state: .hardwareError, paper: .jammed)
            case .offline: DeviceStatus(state: .offline)
            }
        }
    }

    private let core: SimulatedCore
    private let printMillis: Int
    private let tally = Mutex<(printed: Int, failed: Int, documentBytes: Int)>((0, 0, 0))

    public init(profile: DeviceProfile) {
        core = SimulatedCore(profile: profile, status: Condition.ok.status)
        printMillis = profile.option("printMillis", default: 600)
    }

    public var profile: DeviceProfile { core.profile }
    public var events: AsyncStream<DeviceEvent> { core.events }
    public var capabilities: [String: String] { ["paper": "80 mm roll (simulated)", "documents": "extract, receipt, ticket"] }
    public func status() async -> DeviceStatus { core.status }

    public func set(_ condition: Condition) { core.set(condition.status) }

    /// Jobs printed and failed since start, and the bytes of ready-made documents printed (UnifiedPOS statistics).
    public var counters: [String: Int] {
        tally.withLock { ["jobsPrinted": $0.printed, "jobsFailed": $0.failed, "documentBytes": $0.documentBytes] }
    }

    private let records = Mutex<[PrintRecord]>([])

    public var recentJobs: [PrintRecord] { records.withLock { $0 } }

    public func print(_ job: PrintJob, document: Data?) async -> PrintResult {
        let start = ContinuousClock.now
        let result = await simulate(job, document: document)
        let record = PrintRecord(job, result, since: start, problem: "simulated printer: \(core.status.summary)")
        records.withLock { $0 = Array(([record] + $0).prefix(10)) }
        return result
    }

    private func simulate(_ job: PrintJob, document: Data?) async -> PrintResult {
        guard !core.status.isBlocking else {
            tally.withLock { $0.failed += 1 }
            return .failed
        }
        core.set(DeviceStatus(state: .busy, paper: core.status.paper))
        try? await Task.sleep(for: .milliseconds(printMillis))
        let status = core.status
        // A fault set while the job ran (a jam, paper out) fails the job; a job that finished leaves the printer online again.
        if status.state == .busy {
            core.set(DeviceStatus(state: .online, paper: status.paper))
            tally.withLock {
                $0.printed += 1
                $0.documentBytes += document?.count ?? 0
            }
            return .printed
        }
        tally.withLock { $0.failed += 1 }
        return .failed
    }
}
