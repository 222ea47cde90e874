public import KioskCore
import Synchronization

/// A card reader with a simulated chip: `kioskctl sim card present --mrz …` lays a document on it.
///
/// The chip answers like a real one would: only the access key of the document's own MRZ opens it, and it reports the
/// passive-authentication outcome the document was laid down with (genuine, or one of the tampered kinds), as the pcsc
/// driver reports what it verified. Option `readMillis` sets how long a read takes (default 400), so that a resident can
/// pull the card mid-read.
public final class SimulatedCardReader: CardReader {
    private let core: SimulatedCore
    private let card = Mutex<(mrz: MRZ, evidence: ChipEvidence, can: String?)?>(nil)
    private let readMillis: Int
    private let tally = Mutex(CardReadCounters())

    public init(profile: DeviceProfile) {
        core = SimulatedCore(profile: profile, status: DeviceStatus(state: .online, media: .notPresent))
        readMillis = profile.option("readMillis", default: 400)
    }

    public var profile: DeviceProfile { core.profile }
    public var events: AsyncStream<DeviceEvent> { core.events }
    public var capabilities: [String: String] {
        ["chip": "ICAO 9303 (simulated)", "access": "BAC or PACE (simulated)", "passive authentication": "simulated"]
    }
    public func status() async -> DeviceStatus { core.status }
    public var counters: [String: Int] { tally.withLock { $0.values } }

    /// The `--tamper` kinds `kioskctl sim card present` takes.
    public static let tampers = ["dg1", "sod-signature", "unknown-issuer", "unsigned", "clone"]

    /// What the reader reports for a document laid down genuine (nil `tamper`) or forged one way; nil for an unknown kind.
    public static func evidence(for mrz: MRZ, tamper: String?) -> ChipEvidence? {
        switch tamper {
        case nil, "": ChipEvidence(passive: .valid(country: mrz.issuer), antiClone: .proved)
        case "clone": ChipEvidence(passive: .valid(country: mrz.issuer), antiClone: .failed)
        case "dg1": ChipEvidence(passive: .dataAltered(dataGroup: 1))
        case "sod-signature": ChipEvidence(passive: .invalid)
        case "unknown-issuer": ChipEvidence(passive: .unknownIssuer)
        case "unsigned": ChipEvidence(passive: .invalid)
        default: nil
        }
    }

    /// Lays a document on the reader, genuine unless `evidence` says otherwise; with `can`, its chip opens only with that
    /// card access number (as PACE chips that refuse the MRZ do).
    public func present(_ mrz: MRZ, evidence: ChipEvidence? = nil, can: String? = nil) {
        card.withLock { $0 = (mrz, evidence ?? Self.evidence(for: mrz, tamper: nil)!, can) }
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
        guard let after = card.withLock({ $0 }), after.mrz == before.mrz else { return .cardRemoved }
        guard after.mrz.accessKey.mrzInformation == key.mrzInformation else { return .accessDenied }
        if let can = after.can, key.can != can { return key.can == nil ? .canRequired : .accessDenied }
        return .identity(Identity(mrz: after.mrz), after.evidence)
    }
}
