import ArgumentParser
import Foundation
import KioskControl
import KioskCore

struct Faults: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, acknowledge and resolve faults (device and kiosk problems staff are told about).",
        subcommands: [List.self, Ack.self, Resolve.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open faults; with --all, the history too. Exits 1 while any fault is open.")
        @Flag(help: "Include resolved faults, newest first.") var all = false
        @Option(help: "How many to show with --all.") var limit = 50
        @OptionGroup var common: Common

        func run() async {
            do {
                let records = try await common.client.faults(all: all, limit: limit)
                if common.json {
                    common.printJSON(records)
                } else {
                    if records.isEmpty { print(all ? "no faults recorded" : "no open faults") }
                    for record in records { print(Faults.lines(record).joined(separator: "\n")) }
                }
                if !all && !records.isEmpty { Foundation.exit(1) }
            } catch {
                common.fail(error)
            }
        }
    }

    struct Ack: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Acknowledge a fault: staff are on it. It stays open until its cause is gone.")
        @Argument(help: "The fault's id (from kioskctl faults).") var id: Int64
        @OptionGroup var common: Common

        func run() async { await common.send("/v1/faults/\(id)/ack", Optional<String>.none) }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resolve a fault by hand, for one no check can clear (an unknown USB device that was plugged in).")
        @Argument(help: "The fault's id (from kioskctl faults).") var id: Int64
        @OptionGroup var common: Common

        func run() async { await common.send("/v1/faults/\(id)/resolve", Optional<String>.none) }
    }

    /// Local time as technicians in the Netherlands write it: `2026-11-23 14:02:11`.
    static func time(_ seconds: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }

    /// `#12  receipt.paper-out  warning, clear, active  since 14:02:11 (3×, last 14:09:40)` and the summary below.
    static func lines(_ r: FaultBook.Record) -> [String] {
        let time = { (t: Double) in Faults.time(t) }
        var head =
            "#\(r.id)  \(r.fault.key.padding(toLength: max(22, r.fault.key.count), withPad: " ", startingAt: 0)) "
            + "\(r.fault.severity.rawValue), \(r.fault.action.rawValue), \(r.state.rawValue)  since \(time(r.firstSeen))"
        if r.count > 1 { head += " (\(r.count)×, last \(time(r.lastSeen)))" }
        if let acknowledged = r.acknowledgedAt { head += ", acknowledged \(time(acknowledged))" }
        if let resolved = r.resolvedAt { head += ", resolved \(time(resolved))\(r.resolvedBy.map { " by \($0)" } ?? "")" }
        if r.fault.isSecurity { head += "  SECURITY" }
        return [head, "    \(r.fault.summary)"]
    }
}

struct Health: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the health checks now: devices, central, outbox, disk, screen. Exits 1 if any fails.")
    @OptionGroup var common: Common

    func run() async {
        do {
            let report = try await common.client.health()
            if common.json {
                common.printJSON(report)
            } else {
                for check in report.checks {
                    let name = check.name.padding(toLength: max(20, check.name.count), withPad: " ", startingAt: 0)
                    print("\(check.ok ? "ok  " : "FAIL")  \(name) \(check.detail)")
                }
                print(report.faults.isEmpty ? "no open faults" : "\(report.faults.count) open faults (kioskctl faults)")
            }
            if report.checks.contains(where: { !$0.ok }) { Foundation.exit(1) }
        } catch {
            common.fail(error)
        }
    }
}
