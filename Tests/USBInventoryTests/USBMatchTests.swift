import Foundation
import KioskCore
import KioskDevices
import Testing

@testable import USBInventory

/// Matching what is on the bus against the profiles, on descriptor fixtures (this machine has no USB bus).
@Suite struct USBMatchTests {
    static let profiles = DeviceProfile.load([
        (
            "reader.yaml",
            "id: omnikey\nclass: cardReader\ndriver: pcsc\nusb: 076B:5427\n"
        ),
        ("printer.yaml", "id: receipt\nclass: printer\ndriver: simulated\nusb: 0dd4:0205\n"),
        ("sim.yaml", "id: sim\nclass: scanner\ndriver: simulated\n"),
    ]).profiles

    static let rootHub = USBDevice(bus: 1, address: 1, vendorID: 0x1D6B, productID: 0x0002, deviceClass: 0x09)
    static let reader = USBDevice(
        bus: 1, address: 4, vendorID: 0x076B, productID: 0x5427, deviceClass: 0, manufacturer: "HID Global",
        product: "OMNIKEY 5427 CK")
    static let printer = USBDevice(bus: 1, address: 3, vendorID: 0x0DD4, productID: 0x0205, deviceClass: 0)
    static let stick = USBDevice(
        bus: 2, address: 7, vendorID: 0x0781, productID: 0x5581, deviceClass: 0, manufacturer: "SanDisk\u{1B}[2J",
        product: "Ultra")

    @Test func knownDevicesMatchTheirProfilesAndHubsAreInfrastructure() {
        #expect(Self.profiles.count == 3)
        let matches = USBMatcher.match([Self.stick, Self.reader, Self.rootHub, Self.printer], profiles: Self.profiles)
        #expect(matches.map(\.device.address) == [1, 3, 4, 7], "sorted by bus and address")
        #expect(matches.map(\.profile) == [nil, "receipt", "omnikey", nil])
        #expect(matches.map(\.isUnknown) == [false, false, false, true])
    }

    /// The BadUSB trick: a device that copies a known reader's VID:PID but has a HID interface. It is unknown unless its
    /// profile lists that interface; a profile that lists its interfaces takes nothing else.
    @Test func aKeyboardBehindAKnownVIDPIDIsUnknown() {
        let posing = USBDevice(
            bus: 1, address: 9, vendorID: 0x076B, productID: 0x5427, deviceClass: 0, product: "OMNIKEY 5427 CK",
            interfaces: ["0b/00/00", "03/01/01"])
        // HID without the boot protocol can type too (its report descriptor decides): a profile that lists nothing takes
        // no HID at all.
        let reportKeyboard = USBDevice(
            bus: 1, address: 8, vendorID: 0x076B, productID: 0x5427, deviceClass: 0, interfaces: ["0b/00/00", "03/00/00"])
        let honest = USBDevice(bus: 1, address: 4, vendorID: 0x076B, productID: 0x5427, deviceClass: 0, interfaces: ["0b/00/00"])
        #expect(USBMatcher.match([posing], profiles: Self.profiles).first?.isUnknown == true)
        #expect(USBMatcher.match([reportKeyboard], profiles: Self.profiles).first?.isUnknown == true)
        #expect(USBMatcher.match([honest], profiles: Self.profiles).first?.profile == "omnikey")
        #expect(USBMatcher.fault(for: posing).summary.contains("toetsenbord"))

        let (listed, issues) = DeviceProfile.load([
            ("kbd.yaml", "id: staff-keyboard\nclass: scanner\ndriver: simulated\nusb: 076b:5427\nusbInterfaces: [03/01/01]\n"),
            ("bad.yaml", "id: bad\nclass: scanner\ndriver: simulated\nusbInterfaces: [3/1/1]\n"),
        ])
        #expect(issues.map(\.reason) == ["usbInterfaces '3/1/1' must be cc/ss/pp in hex, like 03/01/01"])
        #expect(USBMatcher.match([posing], profiles: listed).first?.isUnknown == true, "0b/00/00 is not listed")
        let keyboard = USBDevice(
            bus: 1, address: 5, vendorID: 0x076B, productID: 0x5427, deviceClass: 0, interfaces: ["03/01/01"])
        #expect(USBMatcher.match([keyboard], profiles: listed).first?.profile == "staff-keyboard")
        let dirty = USBDevice(
            bus: 1, address: 5, vendorID: 1, productID: 1, deviceClass: 0, interfaces: ["03/01/01\u{1B}", "zz"])
        #expect(dirty.interfaces == ["03/01/01"], "a descriptor's text is cleaned, and what is not cc/ss/pp is dropped")
    }

    @Test func anUnknownDeviceIsACriticalSecurityFaultPerVIDPID() {
        let fault = USBMatcher.fault(for: Self.stick)
        #expect(fault.key == "usb.unknown-0781-5581")
        #expect(fault.severity == .critical)
        #expect(fault.action == .maintenance)
        #expect(fault.summary.contains("0781:5581, SanDisk[2J Ultra"), "escape characters from the device are dropped")
    }

    @Test func descriptorStringsAreCleaned() {
        let long = USBDevice(
            bus: 1, address: 2, vendorID: 1, productID: 2, deviceClass: 0,
            manufacturer: String(repeating: "A", count: 500) + "\n", product: "Caf\u{E9}")
        #expect(long.manufacturer?.count == 64)
        #expect(long.product == "Caf")
        #expect(long.id == "0001:0002")
    }

    /// libusb starts whether or not there is a bus, and lists what sysfs lists: nothing without a bus (CI, containers), at
    /// least the root hubs with one.
    @Test func theInventoryListsWhatTheMachineHas() throws {
        let devices = try USBInventory().devices()
        if FileManager.default.fileExists(atPath: "/sys/bus/usb/devices") {
            #expect(devices.contains { $0.isHub }, "a USB bus has at least its root hub")
        } else {
            #expect(devices.isEmpty)
        }
    }

    @Test func aDescriptorFileIsCleanedLikeTheBus() throws {
        let json =
            #"[{"bus":1,"address":2,"vendorID":1003,"productID":9217,"deviceClass":0,"product":"Key\u001b[31mboard\u0000"}]"#
        let devices = try JSONDecoder().decode([USBDevice].self, from: Data(json.utf8))
        #expect(devices.first?.product == "Key[31mboard", "escape and NUL bytes from a device never reach a terminal or log")
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([USBDevice].self, from: Data(#"[{"bus":1,"address":2,"vendorID":70000}]"#.utf8))
        }
    }
}
