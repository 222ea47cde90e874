import ArgumentParser
import Foundation
import KioskControl
import KioskCore

struct PaymentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payment",
        abstract:
            "The payment terminal and the payment journal: status, the last transaction, a test payment, the day's closure.",
        subcommands: [Status.self, Last.self, Test.self, CloseDay.self], defaultSubcommand: Status.self)

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the terminal and the newest journal entries.")
        @OptionGroup var common: Common

        func run() async {
            do {
                let report = try await common.client.payment()
                if common.json { return common.printJSON(report) }
                let device = report.device
                print("terminal  \(device.id) (\(device.driver)): \(device.status.summary)")
                if !device.counters.isEmpty {
                    print(
                        "  counters  "
                            + device.counters.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
                }
                print(
                    "journal   "
                        + (report.counts.isEmpty
                            ? "empty"
                            : report.counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
                for entry in report.entries {
                    let amount = UIText.fee(entry.amountCents).en
                    let brand = entry.brand.map { " \($0)" } ?? ""
                    let detail = entry.detail.map { ": \($0)" } ?? ""
                    print("  \(entry.day)  \(entry.reference)  \(amount)\(brand)  \(entry.state)\(detail)")
                }
            } catch {
                common.fail(error)
            }
        }
    }

    struct Last: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ask the terminal what became of the newest payment.")
        @OptionGroup var common: Common

        func run() async {
            do {
                let reply = try await common.client.paymentLast()
                common.json ? common.printJSON(reply) : print(reply.message)
            } catch {
                common.fail(error)
            }
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pay AMOUNT (euros, like 0.01) on the terminal with a test card, and reverse it at once (exit 1 if not).")
        @Argument(help: "The amount in euros with two decimals.") var amount: String
        @OptionGroup var common: Common

        func validate() throws {
            guard Self.cents(amount) != nil else { throw ValidationError("AMOUNT: euros with two decimals, like 0.01") }
        }

        static func cents(_ text: String) -> Int? {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[1].count == 2, let euros = Int(parts[0]), let cents = Int(parts[1]), euros >= 0,
                cents >= 0, euros * 100 + cents > 0, euros < 10_000
            else { return nil }
            return euros * 100 + cents
        }

        func run() async {
            do {
                let reply = try await common.client.paymentTest(amountCents: Self.cents(amount) ?? 0)
                common.json ? common.printJSON(reply) : print(reply.message)
                if !reply.ok { Foundation.exit(1) }
            } catch {
                common.fail(error)
            }
        }
    }

    struct CloseDay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "close-day",
            abstract: "Close the terminal's day and compare it with the central's record (exit 1 on a difference).")
        @OptionGroup var common: Common

        func run() async {
            do {
                let report = try await common.client.paymentCloseDay()
                if common.json {
                    common.printJSON(report)
                } else {
                    func line(_ totals: DayClosureReport.Totals?) -> String {
                        totals.map { "\($0.count) payments, \(UIText.fee($0.amountCents).en)" } ?? "-"
                    }
                    print("day       \(report.day)")
                    print("terminal  \(line(report.terminalDay)) (closed now: \(line(report.closed)))")
                    print("central   \(line(report.central))")
                    print("journal   \(line(report.journal))")
                    print(report.message)
                }
                if !report.matches { Foundation.exit(1) }
            } catch {
                common.fail(error)
            }
        }
    }
}
