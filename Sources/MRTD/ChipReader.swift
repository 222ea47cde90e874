/// Reads the holder's identity from an eMRTD chip (Doc 9303-10 and -11): EF.CardAccess from the master file, PACE when the
/// chip offers it and BAC when it does not, then the LDS application's EF.COM and EF.DG1 under secure messaging; with a
/// trust store, also DG14, DG15 and EF.SOD, and passive authentication over what was read.
public enum ChipReader {
    /// The LDS1 eMRTD application (Doc 9303-10, 4.1).
    public static let applet: [UInt8] = [0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01]
    public static let efCardAccess: UInt16 = 0x011C
    public static let efCOM: UInt16 = 0x011E
    public static let efDG1: UInt16 = 0x0101
    public static let efDG14: UInt16 = 0x010E
    public static let efDG15: UInt16 = 0x010F
    public static let efSOD: UInt16 = 0x011D

    /// How the chip was opened, for the technician.
    public enum Access: Sendable, Equatable, CustomStringConvertible {
        case bac
        case pace(PACEProtocol, PACEDomain, password: String)

        public var description: String {
            switch self {
            case .bac: "BAC"
            case .pace(let proto, let domain, let password): "\(proto) on \(domain.name) with the \(password)"
            }
        }
    }

    public struct Result: Sendable {
        public var dg1: DataGroup1
        /// Data groups EF.COM lists, by tag (0x61 is DG1).
        public var dataGroups: [UInt8]
        public var access: Access
        /// Passive authentication's outcome; nil when no trust store was given.
        public var passive: PassiveAuthentication.Outcome?
        /// Chip or active authentication's outcome; nil when no trust store was given.
        public var antiClone: AntiClone?
        public var apdus: Int
    }

    /// What the terminal would otherwise draw at random; tests pass worked examples.
    public struct Randomness: Sendable {
        public var bac: BAC.Nonces
        public var pace: PACE.TerminalKeys
        /// The terminal's ephemeral chip-authentication key; nil draws one.
        public var chipAuthentication: [UInt8]?

        public init(bac: BAC.Nonces = .random(), pace: PACE.TerminalKeys = .random, chipAuthentication: [UInt8]? = nil) {
            self.bac = bac
            self.pace = pace
            self.chipAuthentication = chipAuthentication
        }
    }

    /// Opens the chip with the MRZ information (or the CAN, for PACE) and reads EF.COM and DG1, and with a trust store also
    /// DG14, DG15 and EF.SOD for passive and chip or active authentication.
    ///
    /// - throws: ``MRTDError/accessDenied`` for a key that does not open the chip, ``MRTDError/canRequired`` when the chip
    ///   wants the CAN, and the other ``MRTDError`` cases for a chip that answers wrongly.
    public static func read(
        _ transport: some CardTransport, key: DocumentKey, trust: TrustStore? = nil, randomness: Randomness = Randomness()
    ) async throws(MRTDError) -> Result {
        let counting = CountingTransport(transport)
        var session = CardSession(counting)
        let access = try await open(&session, key: key, randomness: randomness)

        let com = try await session.readFile(efCOM, "EF.COM")
        let comObjects = try TLV.parseAll(com)
        guard let comValue = comObjects.first(where: { $0.tag == 0x60 })?.value else {
            throw .malformedTLV("EF.COM has no tag 60")
        }
        let dataGroups = try TLV.find(0x5C, in: try TLV.parseAll(comValue))
        guard dataGroups.contains(0x61) else { throw .malformedDG1("EF.COM does not list DG1") }

        let dg1 = try await session.readFile(efDG1, "EF.DG1")
        let parsed = try DataGroup1(dg1)
        var passive: PassiveAuthentication.Outcome?
        var antiClone: AntiClone?
        if let trust {
            // EF.COM is not signed: a copy could drop DG14 and DG15 from it to pass for a document without them. The SOD
            // is signed, so every data group it lists is read too.
            let sod = try await readIfPresent(efSOD, "EF.SOD", &session)
            let security = sod.flatMap { try? SecurityObject(sod: $0) }
            var groups = [1: dg1]
            for (tag, number, file) in [(UInt8(0x6E), 14, efDG14), (0x6F, 15, efDG15)]
            where dataGroups.contains(tag) || security?.hashes[number] != nil {
                groups[number] = try await readIfPresent(file, "EF.DG\(number)", &session)
            }
            passive =
                if let sod {
                    PassiveAuthentication.verify(sod: sod, dataGroups: groups, trust: trust)
                } else {
                    .invalid("the chip has no EF.SOD")
                }
            if let security, let missing = [14, 15].first(where: { security.hashes[$0] != nil && groups[$0] == nil }) {
                passive = .dataAltered(dataGroup: missing)
            }
            antiClone = await proveChip(&session, dg14: groups[14], dg15: groups[15], com: com, randomness: randomness)
        }
        return Result(
            dg1: parsed, dataGroups: dataGroups, access: access, passive: passive, antiClone: antiClone,
            apdus: await counting.count)
    }

    // MARK: - Anti-clone

    /// Chip authentication where DG14 offers it, else active authentication with DG15. After chip authentication EF.COM
    /// is read again under the new keys and must be what it was: only the chip with the key can answer.
    static func proveChip<T: CardTransport>(
        _ session: inout CardSession<T>, dg14: [UInt8]?, dg15: [UInt8]?, com: [UInt8], randomness: Randomness
    ) async -> AntiClone {
        do throws(MRTDError) {
            let parsed = try dg14.map { (bytes: [UInt8]) throws(MRTDError) in try DataGroup14(bytes) }
            if let parsed, parsed.preferred != nil {
                let how = try await ChipAuthentication.perform(
                    &session, dg14: parsed, ephemeralKey: randomness.chipAuthentication)
                guard try await session.readFile(efCOM, "EF.COM") == com else {
                    return .failed("EF.COM read under the new keys is not what it was")
                }
                return .chipAuthentication(how)
            }
            if let dg15 {
                return .activeAuthentication(
                    try await ActiveAuthentication.perform(&session, dg15: dg15, digest: parsed?.activeAuthenticationDigest))
            }
            return .notSupported
        } catch {
            return .failed(error.description)
        }
    }

    /// A file, or nil when the chip says it has none (6A82).
    static func readIfPresent<T: CardTransport>(
        _ file: UInt16, _ name: String, _ session: inout CardSession<T>
    ) async throws(MRTDError) -> [UInt8]? {
        do {
            return try await session.readFile(file, name)
        } catch .status(0x6A82, _) {
            return nil
        }
    }

    // MARK: - Access control

    /// PACE with the strongest protocol the chip offers, else BAC; the application is selected either way.
    static func open<T: CardTransport>(
        _ session: inout CardSession<T>, key: DocumentKey, randomness: Randomness
    ) async throws(MRTDError) -> Access {
        let offered = try await cardAccess(&session)
        if let offered, let info = try offered.preferredPACE {
            let password: PACE.Password = key.can.map { .can($0) } ?? .mrz(key.mrzInformation)
            let pace = try await PACE.establish(
                session.transport, info: info, password: password, keys: randomness.pace,
                namesParameters: try offered.pace.count > 1)
            session.channel = pace.channel
            let selected = try await session.send(.select(application: applet))
            guard selected.isSuccess else { throw .status(selected.sw, during: "SELECT of the eMRTD application") }
            return .pace(pace.protocol, pace.domain, password: password.description)
        }
        let selected = try await session.send(.select(application: applet))
        guard selected.isSuccess else { throw .status(selected.sw, during: "SELECT of the eMRTD application") }
        do {
            session.channel = try await BAC.authenticate(
                session.transport, keys: BAC.Keys(mrzInformation: key.mrzInformation), nonces: randomness.bac)
        } catch .status(let sw, let during) {
            // A chip that lists PACE only in variants we cannot run, and has no BAC either.
            if let offered, !(try offered.pace.isEmpty) {
                throw .unsupportedProtocol(try offered.pace.map(\.oid.dotted).joined(separator: ", "))
            }
            throw .status(sw, during: during)
        }
        return .bac
    }

    /// EF.CardAccess from the master file, read in plain as Doc 9303-11, 4.4 allows; nil for a chip without one (BAC only).
    static func cardAccess<T: CardTransport>(_ session: inout CardSession<T>) async throws(MRTDError) -> SecurityInfos? {
        let bytes: [UInt8]
        do {
            bytes = try await session.readFile(efCardAccess, "EF.CardAccess")
        } catch .status(let sw, _) where sw == 0x6A82 || sw == 0x6A88 || sw == 0x6986 || sw == 0x6982 {
            // Not found, or not readable here: this chip does not do PACE.
            return nil
        }
        return try SecurityInfos(der: bytes)
    }
}

/// Counts APDUs on their way to the card, for the benchmark and `kioskctl cardreader test`.
actor CountingTransport<Base: CardTransport>: CardTransport {
    let base: Base
    private(set) var count = 0

    init(_ base: Base) { self.base = base }

    func transmit(_ command: [UInt8]) async throws(MRTDError) -> [UInt8] {
        count += 1
        return try await base.transmit(command)
    }
}
