public import KioskCore

/// A device the kiosk may have, as described in `Devices/*.yaml`: its class, the driver that runs it, how to recognise it on
/// USB, and driver options.
///
/// Reader and printer quirks live here as data (as pcsc-lite keeps them in tables), not as branches in drivers.
public struct DeviceProfile: Sendable, Equatable {
    public let id: String
    public let deviceClass: DeviceClass
    public let driver: String
    public let description: String
    /// `VID:PID` in hex, to recognise the device on USB; nil for simulators.
    public let usb: String?
    /// The interfaces the device presents, `cc/ss/pp` in hex; nil takes any but a keyboard (``USBMatcher``).
    public let usbInterfaces: [String]?
    public let options: [String: String]
    public let location: FileLocation

    public init(
        id: String, deviceClass: DeviceClass, driver: String, description: String = "", usb: String? = nil,
        usbInterfaces: [String]? = nil, options: [String: String] = [:],
        location: FileLocation = FileLocation(file: "", line: 1, column: 1)
    ) {
        self.id = id
        self.deviceClass = deviceClass
        self.driver = driver
        self.description = description
        self.usb = usb
        self.usbInterfaces = usbInterfaces
        self.options = options
        self.location = location
    }

    /// An integer option, or the default when absent or not a number.
    public func option(_ key: String, default value: Int) -> Int {
        options[key].flatMap(Int.init) ?? value
    }

    /// Parses the profiles in several files; one problem per line, with its position.
    public static func load(_ files: [(name: String, text: String)]) -> (profiles: [DeviceProfile], issues: [SourceIssue]) {
        var profiles: [DeviceProfile] = []
        var issues: [SourceIssue] = []
        for file in files.sorted(by: { $0.name < $1.name }) {
            guard let map = YAMLMap.document(file.text, file: file.name, issues: &issues) else { continue }
            let what = "a device profile"
            map.rejectUnknownKeys(
                ["id", "class", "driver", "description", "usb", "usbInterfaces", "options"], in: what, issues: &issues)
            let id = map.string("id", in: what, issues: &issues)
            let deviceClass = map.word("class", as: DeviceClass.self, in: what, issues: &issues)
            let driver = map.string("driver", in: what, issues: &issues)
            let description = map.string("description", required: false, in: what, issues: &issues) ?? ""
            let usb = map.string("usb", required: false, in: what, issues: &issues)
            if let usb, !isUSBID(usb) {
                issues.append(SourceIssue(map.location(of: "usb"), "usb '\(usb)' must be VID:PID in hex, like 072f:b100"))
            }
            let interfaces = map.strings("usbInterfaces", required: false, in: what, issues: &issues)?.map { $0.0.lowercased() }
            for interface in interfaces ?? [] where !isInterface(interface) {
                issues.append(
                    SourceIssue(
                        map.location(of: "usbInterfaces"), "usbInterfaces '\(interface)' must be cc/ss/pp in hex, like 03/01/01"))
            }
            var options: [String: String] = [:]
            if let optionMap = map.map("options", required: false, in: what, issues: &issues) {
                for key in optionMap.keys {
                    options[key] = optionMap.string(key, in: "options", issues: &issues)
                }
            }
            guard let id, let deviceClass, let driver else { continue }
            if profiles.contains(where: { $0.id == id }) {
                issues.append(SourceIssue(map.location, "device profile id '\(id)' is already used"))
                continue
            }
            profiles.append(
                DeviceProfile(
                    id: id, deviceClass: deviceClass, driver: driver, description: description, usb: usb?.lowercased(),
                    usbInterfaces: interfaces, options: options, location: map.location))
        }
        return (profiles, issues)
    }

    /// `cc/ss/pp`: a USB interface's class, subclass and protocol, two hex digits each.
    package static func isInterface(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 3 && parts.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isHexDigit) }
    }

    static func isUSBID(_ text: String) -> Bool {
        let parts = text.split(separator: ":")
        return parts.count == 2 && parts.allSatisfy { $0.count == 4 && $0.allSatisfy(\.isHexDigit) }
    }
}
