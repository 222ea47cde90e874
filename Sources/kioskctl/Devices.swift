import ArgumentParser
import Foundation
import KioskControl
import KioskCore

struct Devices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Each device: status, service state, last fault and counters.")
    @OptionGroup var common: Common

    struct Row: Encodable {
        var device: StatusReport.DeviceReport
        var inService: Bool
        var lastFault: FaultBook.Record?
        /// Faults this device raised in the kept history (UnifiedPOS's error count, roughly).
        var faultCount: Int
    }

    func run() async {
        do {
            let status = try await common.client.status()
            let history = try await common.client.faults(all: true, limit: 500)
            let rows = status.devices.map { device in
                Row(
                    device: device, inService: !status.outOfService.contains(device.id),
                    lastFault: history.first { $0.fault.device == device.id },
                    faultCount: history.filter { $0.fault.device == device.id }.count)
            }
            if common.json { return common.printJSON(rows) }
            for row in rows {
                let d = row.device
                let service = row.inService ? "" : "  OUT OF SERVICE"
                print("\(d.id)  \(d.deviceClass.rawValue), \(d.driver): \(d.status.summary)\(service)")
                if let fault = row.lastFault {
                    let when = Faults.time(fault.firstSeen)
                    print(
                        "    last fault  #\(fault.id) \(fault.fault.code) (\(fault.state.rawValue)), \(when); \(row.faultCount) in the history")
                } else {
                    print("    last fault  none")
                }
                if !d.counters.isEmpty {
                    print("    counters    " + d.counters.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
                }
            }
        } catch {
            common.fail(error)
        }
    }
}

struct DeviceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device",
        abstract: "Take a device out of service (its flows are not offered, no alerts fire) or put it back.")

    enum Service: String, ExpressibleByArgument, CaseIterable {
        case outOfService = "out-of-service"
        case inService = "in-service"
    }

    @Argument(help: "The device id (kioskctl devices).") var name: String
    @Argument(help: "out-of-service or in-service.") var service: Service
    @OptionGroup var common: Common

    func run() async {
        await common.send("/v1/devices/\(name)/service", DeviceServiceRequest(inService: service == .inService))
    }
}

struct Logs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "kioskd's recent log lines (kept in memory; never personal data). -f follows new lines.")
    @Flag(name: .shortAndLong, help: "Keep printing new lines until interrupted.") var follow = false
    @OptionGroup var common: Common

    func run() async {
        var after = 0
        repeat {
            do {
                let lines = try await common.client.logs(after: after)
                // Written straight to the descriptor, so a pipe (`| grep`) gets each line at once; with --json, one JSON
                // object per line (seq and line), as log shippers expect.
                let text =
                    common.json
                    ? lines.compactMap { try? JSONEncoder().encode($0) }.map { String(decoding: $0, as: UTF8.self) + "\n" }
                    : lines.map { $0.line + "\n" }
                FileHandle.standardOutput.write(Data(text.joined().utf8))
                after = lines.last?.seq ?? after
            } catch {
                common.fail(error)
            }
            if follow { try? await Task.sleep(for: .milliseconds(500)) }
        } while follow
    }
}
