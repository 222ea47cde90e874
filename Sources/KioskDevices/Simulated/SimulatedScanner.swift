public import KioskCore

/// A document scanner that reads what `kioskctl sim scan CODE` gives it: an MRZ or a barcode.
public final class SimulatedScanner: DocumentScanner {
    private let core: SimulatedCore

    public init(profile: DeviceProfile) {
        core = SimulatedCore(profile: profile, status: .online)
    }

    public var profile: DeviceProfile { core.profile }
    public var events: AsyncStream<DeviceEvent> { core.events }
    public var capabilities: [String: String] { ["reads": "MRZ (TD1, TD3), barcode (simulated)"] }
    public func status() async -> DeviceStatus { core.status }

    public func scan(_ text: String) { core.emit(.scanned(text)) }
}
