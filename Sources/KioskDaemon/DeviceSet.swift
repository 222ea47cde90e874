public import KioskCore
public import KioskDevices
public import Logging
public import MRTD
import Payment
import Printing
import SmartCard

/// The devices this kiosk runs, built from the profiles the config names as active: at most one per class.
///
/// The one place that maps a profile's `driver` onto a driver type; new drivers (PC/SC, CUPS) are added here.
public struct DeviceSet: Sendable {
    public let all: [any Device]

    public var cardReader: (any CardReader)? { all.lazy.compactMap { $0 as? any CardReader }.first }
    public var printer: (any Printer)? { all.lazy.compactMap { $0 as? any Printer }.first }
    public var scanner: (any DocumentScanner)? { all.lazy.compactMap { $0 as? any DocumentScanner }.first }
    public var paymentTerminal: (any PaymentTerminal)? { all.lazy.compactMap { $0 as? any PaymentTerminal }.first }
    public var simulatedPaymentTerminal: SimulatedPaymentTerminal? {
        all.lazy.compactMap { $0 as? SimulatedPaymentTerminal }.first
    }

    public var simulatedCardReader: SimulatedCardReader? { all.lazy.compactMap { $0 as? SimulatedCardReader }.first }
    public var simulatedPrinter: SimulatedPrinter? { all.lazy.compactMap { $0 as? SimulatedPrinter }.first }
    public var simulatedScanner: SimulatedScanner? { all.lazy.compactMap { $0 as? SimulatedScanner }.first }

    static let drivers = ["simulated", "pcsc (card readers)", "cups (printers)", "opi (payment terminals)"]

    public init(devices: [any Device]) { all = devices }

    /// - throws: ``ConfigError`` naming each active id without a profile, each unknown driver and each doubled class.
    /// - parameters:
    ///   - kiosk: the kiosk's id and location, which tickets print.
    public init(
        profiles: [DeviceProfile], active: [String], kiosk: (id: String, location: String), trust: TrustStore? = nil,
        logger: Logger
    ) throws(ConfigError) {
        var devices: [any Device] = []
        var problems: [String] = []
        for id in active {
            guard let profile = profiles.first(where: { $0.id == id }) else {
                problems.append("active device '\(id)' has no profile in Devices/")
                continue
            }
            if let other = devices.first(where: { $0.deviceClass == profile.deviceClass }) {
                problems.append(
                    "active devices '\(other.profile.id)' and '\(id)' are both of class \(profile.deviceClass.rawValue)")
                continue
            }
            switch (profile.driver, profile.deviceClass) {
            case ("simulated", .cardReader): devices.append(SimulatedCardReader(profile: profile))
            case ("simulated", .printer): devices.append(SimulatedPrinter(profile: profile))
            case ("simulated", .scanner): devices.append(SimulatedScanner(profile: profile))
            case ("simulated", .paymentTerminal): devices.append(SimulatedPaymentTerminal(profile: profile))
            case ("opi", .paymentTerminal):
                do {
                    devices.append(try OPITerminal(profile: profile, workstation: kiosk.id, logger: logger))
                } catch {
                    problems.append("\(profile.location): \(error)")
                }
            case ("pcsc", .cardReader): devices.append(PCSCCardReader(profile: profile, trust: trust, logger: logger))
            case ("cups", .printer):
                devices.append(CUPSPrinter(profile: profile, kioskID: kiosk.id, location: kiosk.location, logger: logger))
            default:
                problems.append(
                    "\(profile.location): driver '\(profile.driver)' for a \(profile.deviceClass.rawValue) is not in this build"
                        + " (available: \(Self.drivers.joined(separator: ", ")))")
            }
        }
        guard problems.isEmpty else { throw ConfigError(lines: problems) }
        all = devices
    }
}
