/// One Linux `struct input_event` (linux/input.h) as the kernel hands it out of /dev/input/event*: on 64-bit Linux 24 bytes,
/// a `timeval` (two 64-bit words), then type, code (16 bits each) and value (32 bits, signed), little-endian.
///
/// libevdev would decode these, but it needs a real device node, and there is no uinput on the test machines: this is the
/// small decoder the kiosk needs, and recordings feed it the same bytes a kernel would.
public struct InputEvent: Sendable, Equatable {
    public var seconds: Int64
    public var microseconds: Int64
    public var type: UInt16
    public var code: UInt16
    public var value: Int32

    public init(seconds: Int64 = 0, microseconds: Int64 = 0, type: UInt16, code: UInt16, value: Int32) {
        self.seconds = seconds
        self.microseconds = microseconds
        self.type = type
        self.code = code
        self.value = value
    }

    public static let size = 24

    // Types and codes from linux/input-event-codes.h.
    public static let synchronization: UInt16 = 0x00
    public static let key: UInt16 = 0x01
    public static let absolute: UInt16 = 0x03
    public static let switchEvent: UInt16 = 0x05
    /// EV_SW: a headphone plug is in the jack (1) or not (0).
    public static let headphoneInsert: UInt16 = 0x02
    public static let synReport: UInt16 = 0
    public static let synMTReport: UInt16 = 2
    public static let synDropped: UInt16 = 3
    public static let btnTouch: UInt16 = 0x14A
    public static let btnLeft: UInt16 = 0x110
    public static let absX: UInt16 = 0x00
    public static let absY: UInt16 = 0x01
    public static let absMTSlot: UInt16 = 0x2F
    public static let absMTPositionX: UInt16 = 0x35
    public static let absMTPositionY: UInt16 = 0x36
    public static let absMTTrackingID: UInt16 = 0x39

    /// The raw record, as the kernel writes it.
    public var bytes: [UInt8] {
        func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
            withUnsafeBytes(of: value.littleEndian) { Array($0) }
        }
        return le(seconds) + le(microseconds) + le(type) + le(code) + le(value)
    }

    /// Decodes one record from exactly 24 bytes.
    public init?(record: some Collection<UInt8>) {
        let bytes = Array(record)
        guard bytes.count == Self.size else { return nil }
        func value<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
            var result: T = 0
            for index in 0..<MemoryLayout<T>.size { result |= T(truncatingIfNeeded: bytes[offset + index]) << (8 * index) }
            return result
        }
        self.init(
            seconds: value(0, Int64.self), microseconds: value(8, Int64.self), type: value(16, UInt16.self),
            code: value(18, UInt16.self), value: value(20, Int32.self))
    }
}

/// Cuts a byte stream from an event device into records; a read may end in the middle of one.
public struct InputEventReader: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    public mutating func feed(_ bytes: some Collection<UInt8>) -> [InputEvent] {
        pending += bytes
        let whole = pending.count / InputEvent.size * InputEvent.size
        let events = stride(from: 0, to: whole, by: InputEvent.size).compactMap {
            InputEvent(record: pending[$0..<$0 + InputEvent.size])
        }
        pending.removeFirst(whole)
        return events
    }
}
