public import KioskCore
public import KioskDevices

/// A device on the kiosk's USB bus, as its descriptors describe it. The strings come from the device: outside input, so they
/// are kept to printable ASCII and 64 characters.
public struct USBDevice: Sendable, Equatable, Hashable, Codable {
    public var bus: Int
    public var address: Int
    public var vendorID: UInt16
    public var productID: UInt16
    /// `bDeviceClass`: 0x09 is a hub; 0x00 means "see the interfaces".
    public var deviceClass: UInt8
    public var manufacturer: String?
    public var product: String?
    /// What each interface says it is, as `cc/ss/pp` (class, subclass, protocol in hex): `03/01/01` is a boot keyboard.
    /// A device that lies about its VID:PID still has to say it is a keyboard to type.
    public var interfaces: [String]

    public init(
        bus: Int, address: Int, vendorID: UInt16, productID: UInt16, deviceClass: UInt8, manufacturer: String? = nil,
        product: String? = nil, interfaces: [String] = []
    ) {
        self.interfaces = interfaces.map(Self.clean).filter(DeviceProfile.isInterface)
        self.bus = bus
        self.address = address
        self.vendorID = vendorID
        self.productID = productID
        self.deviceClass = deviceClass
        self.manufacturer = manufacturer.map(Self.clean)
        self.product = product.map(Self.clean)
    }

    /// `vvvv:pppp` in lower-case hex, the form device profiles use.
    public var id: String { Self.hex4(vendorID) + ":" + Self.hex4(productID) }

    /// A HID interface with the boot keyboard protocol: whatever the device claims to be, it can type.
    public var isKeyboard: Bool { interfaces.contains(Self.keyboardInterface) }
    public static let keyboardInterface = "03/01/01"

    /// Any HID interface (class 03). A HID device without the boot protocol can still type: its report descriptor says
    /// what it sends, and the kernel makes it a keyboard all the same.
    public var isHID: Bool { interfaces.contains { $0.hasPrefix("03/") } }

    /// Hubs carry the bus itself (the root hubs, the kiosk's internal hubs): they are infrastructure, not devices.
    public var isHub: Bool { deviceClass == 0x09 }

    public var label: String {
        [manufacturer, product].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    static func hex4(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    enum CodingKeys: String, CodingKey {
        case bus, address, vendorID, productID, deviceClass, manufacturer, product, interfaces
    }

    /// Decoded (a descriptor file) through the same cleaning as the bus: the strings come from the device, which lies.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            bus: try c.decode(Int.self, forKey: .bus), address: try c.decode(Int.self, forKey: .address),
            vendorID: try c.decode(UInt16.self, forKey: .vendorID), productID: try c.decode(UInt16.self, forKey: .productID),
            deviceClass: try c.decode(UInt8.self, forKey: .deviceClass),
            manufacturer: try c.decodeIfPresent(String.self, forKey: .manufacturer),
            product: try c.decodeIfPresent(String.self, forKey: .product),
            interfaces: try c.decodeIfPresent([String].self, forKey: .interfaces) ?? [])
    }

    static func clean(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F }).prefix(64))
    }
}

/// A device and the profile it matched, if any.
public struct USBMatch: Sendable, Equatable, Codable {
    public var device: USBDevice
    /// The id of the profile in `Devices/` with this VID:PID and these interfaces; nil for a hub or an unknown device.
    public var profile: String?

    /// Neither a hub nor a device of ours: someone plugged it in, and staff must look.
    public var isUnknown: Bool { profile == nil && !device.isHub }
}

/// Matches what is on the bus against the device profiles: every device must be one the kiosk was built with.
public enum USBMatcher {
    public static func match(_ devices: [USBDevice], profiles: [DeviceProfile]) -> [USBMatch] {
        devices.sorted { ($0.bus, $0.address) < ($1.bus, $1.address) }.map { device in
            USBMatch(device: device, profile: profiles.first { $0.usb == device.id && accepts($0, device) }?.id)
        }
    }

    /// Whether the device presents only what its profile says it has. A profile that lists no interfaces takes no HID
    /// interface (class 03, a keyboard with or without the boot protocol): a "card reader" that also types is the classic
    /// BadUSB, whatever VID:PID it copied. Touch panels and keyboards list theirs.
    static func accepts(_ profile: DeviceProfile, _ device: USBDevice) -> Bool {
        guard let allowed = profile.usbInterfaces else { return !device.isHID }
        return device.interfaces.allSatisfy(allowed.contains)
    }

    static func hexPair(_ device: USBDevice) -> String {
        USBDevice.hex4(device.vendorID) + "-" + USBDevice.hex4(device.productID)
    }

    /// The security fault for a device no profile knows. One per VID:PID; critical, and it needs a technician.
    public static func fault(for device: USBDevice) -> Fault {
        let what =
            (device.label.isEmpty ? device.id : "\(device.id), \(device.label)") + (device.isKeyboard ? ", toetsenbord" : "")
        return Fault(
            device: "usb", code: "unknown-" + Self.hexPair(device), severity: .critical,
            action: .maintenance,
            summary: "Onbekend USB-apparaat aangesloten (\(what)); mogelijk geknoei aan de kiosk. Controleer de kiosk.")
    }
}
