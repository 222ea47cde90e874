import CLibUSB
import Dispatch
import Glibc
import Synchronization

/// The USB bus, read-only, through libusb: what is plugged in, and news when that changes.
///
/// It never opens an interface: pcscd, CUPS and the kernel own the devices. Descriptor strings are read where the device
/// lets us (it needs opening the device, which claims nothing); without permission they stay empty. With no USB bus at all,
/// as on CI machines and in containers, libusb starts and lists nothing, which is not an error.
public final class USBInventory: Sendable {
    private let context: Mutex<Int?>
    private let queue = DispatchQueue(label: "kioskd.usb")
    private let stopped = Atomic(false)
    private let changed = Atomic(false)

    public struct InventoryError: Error, CustomStringConvertible {
        public let description: String
    }

    public init() throws(InventoryError) {
        var context: OpaquePointer?
        let status = libusb_init(&context)
        guard status == 0, let context else {
            throw InventoryError(description: "libusb_init: \(String(cString: libusb_error_name(status)))")
        }
        self.context = Mutex(Int(bitPattern: context))
    }

    deinit {
        if let raw = context.withLock({ $0 }), let pointer = OpaquePointer(bitPattern: raw) { libusb_exit(pointer) }
    }

    private var pointer: OpaquePointer? { context.withLock { $0 }.flatMap { OpaquePointer(bitPattern: $0) } }

    /// Everything on the bus now.
    public func devices() -> [USBDevice] {
        guard let pointer else { return [] }
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = libusb_get_device_list(pointer, &list)
        guard count > 0, let list else { return [] }
        defer { libusb_free_device_list(list, 1) }
        return (0..<count).compactMap { index in list[index].flatMap(Self.describe) }
    }

    static func describe(_ device: OpaquePointer) -> USBDevice? {
        var descriptor = libusb_device_descriptor()
        guard libusb_get_device_descriptor(device, &descriptor) == 0 else { return nil }
        var manufacturer: String?
        var product: String?
        var handle: OpaquePointer?
        if libusb_open(device, &handle) == 0, let handle {
            manufacturer = string(handle, descriptor.iManufacturer)
            product = string(handle, descriptor.iProduct)
            libusb_close(handle)
        }
        return USBDevice(
            bus: Int(libusb_get_bus_number(device)), address: Int(libusb_get_device_address(device)),
            vendorID: descriptor.idVendor, productID: descriptor.idProduct, deviceClass: descriptor.bDeviceClass,
            manufacturer: manufacturer, product: product, interfaces: interfaces(device))
    }

    /// Every interface's class, subclass and protocol in the active configuration (read from sysfs, no open needed).
    static func interfaces(_ device: OpaquePointer) -> [String] {
        var config: UnsafeMutablePointer<libusb_config_descriptor>?
        guard libusb_get_active_config_descriptor(device, &config) == 0 || libusb_get_config_descriptor(device, 0, &config) == 0,
            let config
        else { return [] }
        defer { libusb_free_config_descriptor(config) }
        var found: [String] = []
        for index in 0..<Int(config.pointee.bNumInterfaces) {
            let interface = config.pointee.interface[index]
            for alternate in 0..<Int(interface.num_altsetting) {
                let setting = interface.altsetting[alternate]
                let text = [setting.bInterfaceClass, setting.bInterfaceSubClass, setting.bInterfaceProtocol].map {
                    ($0 < 16 ? "0" : "") + String($0, radix: 16)
                }.joined(separator: "/")
                if !found.contains(text) { found.append(text) }
            }
        }
        return found
    }

    static func string(_ handle: OpaquePointer, _ index: UInt8) -> String? {
        guard index != 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 128)
        let length = libusb_get_string_descriptor_ascii(handle, index, &buffer, Int32(buffer.count))
        guard length > 0 else { return nil }
        return String(decoding: buffer.prefix(Int(length)), as: UTF8.self)
    }

    /// Calls `onChange` with the whole list at start and whenever a device arrives or leaves, until ``stop()``.
    ///
    /// Hot-plug events where libusb has them (Linux with udev or netlink); otherwise the bus is listed every 2 seconds.
    /// Runs on a thread of its own: `libusb_handle_events` blocks.
    public func watch(_ onChange: @escaping @Sendable ([USBDevice]) -> Void) {
        queue.async { [self] in
            var last = devices()
            onChange(last)
            let hotplug = libusb_has_capability(UInt32(LIBUSB_CAP_HAS_HOTPLUG.rawValue)) != 0 && registerHotplug()
            while !stopped.load(ordering: .relaxed) {
                if hotplug, let pointer {
                    var timeout = timeval(tv_sec: 1, tv_usec: 0)
                    libusb_handle_events_timeout_completed(pointer, &timeout, nil)
                    guard changed.exchange(false, ordering: .relaxed) else { continue }
                } else {
                    usleep(2_000_000)
                }
                let now = devices()
                if now != last {
                    last = now
                    onChange(now)
                }
            }
        }
    }

    public func stop() { stopped.store(true, ordering: .relaxed) }

    /// The callback only raises a flag: libusb forbids most calls from inside it, so the watch loop lists the bus afterwards.
    private func registerHotplug() -> Bool {
        guard let pointer else { return false }
        let events = Int32(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED.rawValue | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT.rawValue)
        let box = Unmanaged.passUnretained(self).toOpaque()
        let status = libusb_hotplug_register_callback(
            pointer, events, 0, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
            { _, _, _, userData in
                if let userData {
                    Unmanaged<USBInventory>.fromOpaque(userData).takeUnretainedValue().changed.store(true, ordering: .relaxed)
                }
                return 0
            }, box, nil)
        return status == 0
    }
}
