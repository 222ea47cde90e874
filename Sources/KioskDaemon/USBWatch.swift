import Foundation
import KioskControl
import KioskCore
import KioskDevices
import Logging
import ServiceLifecycle
import USBInventory

/// Follows the USB bus and raises a security fault for every device no profile in `Devices/` knows.
///
/// An unknown device's fault stays active after it is unplugged: someone had the cabinet open, and staff must hear of it even
/// if the device is gone by the time they look. Resolving it is a technician's act (the fault CLI comes with the alerting work).
actor USBWatch {
    let profiles: [DeviceProfile]
    let faults: FaultReporter
    let logger: Logger
    private(set) var matches: [USBMatch] = []

    init(profiles: [DeviceProfile], faults: FaultReporter, logger: Logger) {
        self.profiles = profiles
        self.faults = faults
        self.logger = logger
    }

    func update(_ devices: [USBDevice]) async {
        let before = Set(matches.map(\.device))
        matches = USBMatcher.match(devices, profiles: profiles)
        for match in matches where !before.contains(match.device) {
            let name = match.profile ?? (match.device.isHub ? "hub" : "UNKNOWN")
            logger.notice("usb \(match.device.id) on bus \(match.device.bus) address \(match.device.address): \(name)")
            if match.isUnknown { await faults.raise(USBMatcher.fault(for: match.device)) }
        }
        for gone in before.subtracting(devices) {
            logger.notice("usb \(gone.id) on bus \(gone.bus) address \(gone.address) removed")
        }
    }

    var report: [USBReport] {
        matches.map {
            USBReport(
                bus: $0.device.bus, address: $0.device.address, id: $0.device.id, label: $0.device.label,
                profile: $0.profile, hub: $0.device.isHub, unknown: $0.isUnknown)
        }
    }
}

/// Runs the inventory for the daemon's life; without libusb it logs one line and does nothing.
struct USBService: Service {
    let watch: USBWatch
    /// A JSON file of ``USBDevice`` records read instead of the bus, every 2 s (tests, a kiosk without libusb).
    let descriptors: String?
    let logger: Logger

    func run() async throws {
        if let descriptors {
            let watch = self.watch
            logger.notice("usb inventory from \(descriptors), not the bus")
            await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    if let devices = Self.read(descriptors, logger: logger) { await watch.update(devices) }
                    try? await Task.sleep(for: .seconds(2))
                }
            }
            return
        }
        let inventory: USBInventory
        do {
            inventory = try USBInventory()
        } catch {
            logger.error("usb inventory off: \(error)")
            return
        }
        let watch = watch
        inventory.watch { devices in Task { await watch.update(devices) } }
        try? await gracefulShutdown()
        inventory.stop()
    }
}

extension USBService {
    static func read(_ path: String, logger: Logger) -> [USBDevice]? {
        guard let data = FileManager.default.contents(atPath: path), data.count <= 1 << 20 else {
            logger.error("usb descriptors \(path): cannot read (or larger than 1 MiB)")
            return nil
        }
        do {
            return try JSONDecoder().decode([USBDevice].self, from: data)
        } catch {
            logger.error("usb descriptors \(path): not a JSON list of devices")
            return nil
        }
    }
}
