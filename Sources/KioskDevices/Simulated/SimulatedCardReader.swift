public import KioskCore
import Synchronization

/// A card reader with a simulated chip: `kioskctl sim card present --mrz …` lays a document on it.
///
/// The chip answers like a real one would after BAC: only the access key of the document's own MRZ opens it. Option
/// `readMillis` sets how long a read takes (default 400), so that a resident can pull the card mid-read.
public final class SimulatedCardReader: CardReader {
    private let core: SimulatedCore
    private let card = Mutex<MRZ?>(nil)
    private let readMillis: Int
    private let tally = Mutex(CardReadCounters())

    public init(profile: DeviceProfile) {
        core = SimulatedCore(profile: profile, status: DeviceStatus(state: .online, media: .notPresent))
        readMillis = profile.option("readMillis", default: 400)
    }

    public var profile: DeviceProfile { core.profile }
    public var events: AsyncStream<DeviceEvent> { core.events }
    public var capabilities: [String: String] { ["chip": "ICAO 9303 (simulated)", "access": "BAC"] }
    public func status() async -> DeviceStatus { core.status }
    public var counters: [String: Int] { tally.withLock { $0.values } }

    /// Lays a document on the reader.
    public func present(_ mrz: MRZ) {
        card.withLock { $0 = mrz }
        core.set(DeviceStatus(state: .online, media: .present))
        core.emit(.cardInserted)
    }

    /// Takes the document away.
    public func remove() {
        let had = card.withLock { card in
            defer { card = nil }
            return card != nil
        }
        core.set(DeviceStatus(state: .online, media: .notPresent))
        if had { core.emit(.cardRemoved) }
    }

    /// Puts the reader in any state a real one can be in (offline, hardware error, …).
    public func setState(_ state: DeviceStatus.State) {
        let media: DeviceStatus.Media = card.withLock { $0 } == nil ? .notPresent : .present
        core.set(DeviceStatus(state: state, media: media))
    }

    public func readIdentity(with key: AccessKey) async -> CardReadResult {
        let result = await read(key)
        tally.withLock { $0.count(result) }
        return result
    }

    private func read(_ key: AccessKey) async -> CardReadResult {
        guard core.status.state == .online else { return .unreadable }
        guard let before = card.withLock({ $0 }) else { return .cardRemoved }
        try? await Task.sleep(for: .milliseconds(readMillis))
        guard let after = card.withLock({ $0 }), after == before else { return .cardRemoved }
        guard after.accessKey == key else { return .accessDenied }
        return .identity(Identity(mrz: after))
    }
}
