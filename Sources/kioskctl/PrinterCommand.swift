import ArgumentParser
import Foundation
import KioskControl
import KioskCore
import KioskDevices

struct PrinterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "printer",
        abstract: "The printer: its queue, device, state and reasons, counters and last jobs; a test ticket.",
        subcommands: [Status.self, Test.self], defaultSubcommand: Status.self)

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the printer as kioskd sees it.")
        @OptionGroup var common: Common

        func run() async {
            do {
                let report = try await common.client.printer()
                if common.json { return common.printJSON(report) }
                let device = report.device
                print("printer  \(device.id) (\(device.driver)): \(device.status.summary)")
                for (key, value) in device.capabilities.sorted(by: { $0.key < $1.key }) {
                    print("  \(key.padding(toLength: 10, withPad: " ", startingAt: 0)) \(value)")
                }
                if !device.counters.isEmpty {
                    print(
                        "  counters   "
                            + device.counters.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
                }
                print(report.recentJobs.isEmpty ? "jobs     none since start" : "jobs     (newest first)")
                for job in report.recentJobs {
                    let when = job.at.formatted(date: .omitted, time: .standard)
                    let problem = job.problem.map { ": \($0)" } ?? ""
                    let outcome =
                        switch job.outcome {
                        case .printed: "printed"
                        case .failed: "NOT PRINTED" + problem
                        case .unknown: "UNCONFIRMED (check the tray)" + problem
                        }
                    print(
                        "  \(when)  \(job.document.padding(toLength: 12, withPad: " ", startingAt: 0)) \(String(format: "%5.1f s", job.seconds))  \(outcome)"
                    )
                }
            } catch {
                common.fail(error)
            }
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a test ticket now (exit 1 if it fails).")
        @OptionGroup var common: Common

        func run() async {
            do {
                let reply = try await common.client.printerTest()
                common.json ? common.printJSON(reply) : print(reply.message)
                if !reply.ok { Foundation.exit(1) }
            } catch {
                common.fail(error)
            }
        }
    }
}
