import KioskCore
import KioskTesting
import MRTD
import Testing
import VirtualMRTD

/// PACE end to end against the virtual chip, in-process: every profile, every standardized group and cipher, the CAN, and
/// the chips that refuse. The pcscd suite runs the same reads through the real pcscd.
@Suite struct PACEChipTests {
    static let passport2035 = Specimen.nlPassport2035
    static let id2031 = Specimen.nlID2031

    static func read(_ mrz: String, _ profile: ChipProfile, can: String? = nil) async throws -> ChipReader.Result {
        let card = InProcessCard(try VirtualChip(mrz: mrz, profile: profile))
        return try await ChipReader.readIdentity(card, key: try MRZ(mrz).accessKey, can: can)
    }

    @Test func theDutch2025PassportIsReadWithPACEOnBrainpoolP320r1AndAES256() async throws {
        let result = try await Self.read(Self.passport2035, .nlPassport2025)
        #expect(result.access.description == "PACE-ECDH-GM-AES-256 on brainpoolP320r1 with the MRZ")
        #expect((try result.identity).surname == "DE BRUIJN")
        // EF.CardAccess (SELECT, 2 READs), MSE:Set AT, 4 GENERAL AUTHENTICATE, SELECT applet, then 3 for each of 2 files.
        #expect(result.apdus == 15)
    }

    @Test func theDutch2021IDCardIsReadWithPACEOnP256() async throws {
        let result = try await Self.read(Self.id2031, .nlID2021)
        #expect(result.access.description == "PACE-ECDH-GM-AES-128 on P-256 with the MRZ")
        #expect((try result.identity).documentNumber == "SPECI2021")
    }

    @Test func aChipThatOffersBothIsReadWithPACEAndTheStrongerVariant() async throws {
        let result = try await Self.read(Self.passport2035, .paceAndBAC)
        #expect(result.access.description == "PACE-ECDH-GM-AES-128 on brainpoolP256r1 with the MRZ")
        #expect(try await Self.read(Self.passport2035, .bacOnly).access == .bac)
    }

    static let variants: [(PACEDomain, BlockCipher)] = PACEDomain.allCases.flatMap { domain in
        [BlockCipher.tripleDES, .aes128, .aes192, .aes256].map { (domain, $0) }
    }

    @Test(arguments: variants) func everyStandardizedGroupAndCipher(domain: PACEDomain, cipher: BlockCipher) async throws {
        let info = PACEInfo(
            oid: PACEProtocol(agreement: domain.isElliptic ? .ecdh : .dh, mapping: .generic, cipher: cipher).oid,
            version: 2, parameterID: domain.rawValue)
        let profile = ChipProfile(name: "test", pace: [info], bac: false)
        let result = try await Self.read(Self.passport2035, profile)
        guard case .pace(let proto, let used, _) = result.access else {
            Issue.record("read with \(result.access)")
            return
        }
        #expect(proto.cipher == cipher)
        #expect(used == domain)
        #expect((try result.identity).birthDate == "650310")
    }

    @Test func aWrongMRZIsAccessDeniedUnderPACE() async throws {
        let card = InProcessCard(try VirtualChip(mrz: Self.passport2035, profile: .nlPassport2025))
        let other = try AccessKey(
            documentNumber: "SPECI2025", birth: CalendarDate(year: 1965, month: 3, day: 11)!,
            expiry: CalendarDate(year: 2035, month: 3, day: 9)!)
        await #expect(throws: MRTDError.accessDenied) { _ = try await ChipReader.readIdentity(card, key: other) }
        // The chip is still usable with the right key.
        _ = try await ChipReader.readIdentity(card, key: try MRZ(Self.passport2035).accessKey)
    }

    @Test func aChipThatWantsTheCANSaysSoAndOpensWithIt() async throws {
        var profile = ChipProfile.nlID2021
        profile.can = "123456"
        profile.canOnly = true
        await #expect(throws: MRTDError.canRequired) { _ = try await Self.read(Self.id2031, profile) }
        let result = try await Self.read(Self.id2031, profile, can: "123456")
        #expect(result.access.description == "PACE-ECDH-GM-AES-128 on P-256 with the CAN")
        await #expect(throws: MRTDError.accessDenied) { _ = try await Self.read(Self.id2031, profile, can: "654321") }
    }

    @Test func anUnknownPACEVariantFallsBackToBACOrSaysWhatItOffers() async throws {
        let integrated = PACEInfo(
            oid: PACEProtocol(agreement: .ecdh, mapping: .integrated, cipher: .aes128).oid, version: 2, parameterID: 13)
        let withBAC = ChipProfile(name: "im-and-bac", pace: [integrated], bac: true)
        #expect(try await Self.read(Self.passport2035, withBAC).access == .bac)
        let without = ChipProfile(name: "im-only", pace: [integrated], bac: false)
        await #expect(throws: MRTDError.unsupportedProtocol("0.4.0.127.0.7.2.2.4.4.2")) {
            _ = try await Self.read(Self.passport2035, without)
        }
    }
}
