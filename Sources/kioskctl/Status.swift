import ArgumentParser
import Foundation
import KioskControl
import KioskCore

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the kiosk, its active flow and step, and its devices (no personal data).")

    @OptionGroup var common: Common

    func run() async throws {
        let report: StatusReport
        do {
            report = try await common.client.status()
        } catch {
            common.fail(error)
        }
        if common.json {
            common.printJSON(report)
            return
        }
        print("kiosk    \(report.kioskID)\(report.location.isEmpty ? "" : " (\(report.location))")")
        print("front    \(report.front), language \(report.language.rawValue)")
        if let flow = report.flow, let step = report.step {
            print("session  \(flow) / \(step) (\(report.phase))")
        } else {
            print("session  none (start screen)")
        }
        print("central  \(report.centralOnline ? "online" : "offline")")
        if let speech = report.speech { print("speech   \(speech.summary)") }
        if report.outOfOrder { print("service  OUT OF ORDER: no resident flow can be served") }
        print("devices")
        for device in report.devices {
            let id = device.id.padding(toLength: max(18, device.id.count), withPad: " ", startingAt: 0)
            let cls = device.deviceClass.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
            print(
                "  \(id) \(cls) \(device.driver.padding(toLength: max(10, device.driver.count), withPad: " ", startingAt: 0)) \(device.status.summary)"
            )
            if !device.counters.isEmpty {
                print(
                    "  \("".padding(toLength: 18, withPad: " ", startingAt: 0)) "
                        + device.counters.sorted { $0.key < $1.key }
                        .map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
        }
        print("flows")
        for flow in report.flows {
            print(
                "  \(flow.id.padding(toLength: 18, withPad: " ", startingAt: 0)) \(flow.available ? "offered" : "hidden (device fault)")"
            )
        }
        print(report.faults.isEmpty ? "faults   none" : "faults")
        for fault in report.faults { print(Faults.lines(fault).map { "  " + $0 }.joined(separator: "\n")) }
        if !report.outOfService.isEmpty { print("out of service: \(report.outOfService.joined(separator: ", "))") }
    }
}
