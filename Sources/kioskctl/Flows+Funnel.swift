import ArgumentParser
import Foundation
import KioskControl
import KioskCore

extension Flows {
    struct Funnel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per flow and step: sessions that reached it, finished, went back, timed out, called staff, stopped.",
            discussion: "Counts only, kept by kioskd per day; they never hold personal data.")

        @Option(help: ArgumentHelp("Count from this day on (YYYY-MM-DD); every day kept by default.", valueName: "DATE"))
        var since: String?

        @OptionGroup var common: Common

        static let columns: [(mark: String, title: String)] = [
            ("reached", "reached"), ("finished", "finished"), ("back", "back"), ("timedOut", "timed out"),
            ("calledStaff", "staff"), ("stopped", "stopped"),
        ]

        func validate() throws {
            if let since, since.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) == nil {
                throw ValidationError("--since must be a day, YYYY-MM-DD")
            }
        }

        func run() async throws {
            let report: FunnelReport
            do {
                report = try await common.client.funnel(since: since)
            } catch {
                common.fail(error)
            }
            if common.json {
                common.printJSON(report)
                return
            }
            print(Self.table(report), terminator: "")
        }

        /// One line per step, flow by flow, in the order kioskd reports them.
        static func table(_ report: FunnelReport) -> String {
            guard !report.steps.isEmpty else {
                return "no sessions counted\(report.since == "0000-00-00" ? "" : " since \(report.since)")\n"
            }
            let width = max(18, report.steps.map { $0.step.count + 2 }.max() ?? 0)
            var out = ""
            var flow = ""
            for step in report.steps {
                if step.flow != flow {
                    flow = step.flow
                    out +=
                        "\(flow)\n" + "  " + "step".padding(toLength: width, withPad: " ", startingAt: 0)
                        + columns.map { $0.title.leftPadded(10) }.joined() + "\n"
                }
                out +=
                    "  " + step.step.padding(toLength: width, withPad: " ", startingAt: 0)
                    + columns.map { String(step.counts[$0.mark] ?? 0).leftPadded(10) }.joined() + "\n"
            }
            return out
        }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}
