import ArgumentParser
import Foundation
import KioskControl

struct USB: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usb", abstract: "List the USB devices kioskd sees and the profile each matched; unknown ones are faults.")
    @OptionGroup var common: Common

    func run() async {
        do {
            let devices = try await common.client.usb()
            if common.json { return common.printJSON(devices) }
            if devices.isEmpty { print("no USB devices (no USB bus, or none plugged in)") }
            for device in devices {
                let match = device.profile ?? (device.hub ? "hub" : "UNKNOWN: not in Devices/ (security fault raised)")
                let place = "\(device.bus)-\(device.address)".padding(toLength: 6, withPad: " ", startingAt: 0)
                print("\(place) \(device.id)  \(match)\(device.label.isEmpty ? "" : "  (\(device.label))")")
            }
        } catch {
            common.fail(error)
        }
    }
}
