import Foundation
import KioskCore
import KioskTesting
import Testing
import VirtualMRTD

@testable import MRTD

/// Chip and active authentication against the virtual chip in-process: each profile proves its chip, and a clone (the
/// genuine data and SOD on a chip with other keys) fails.
@Suite struct AntiCloneTests {
    static func read(_ profile: ChipProfile, _ tamper: VirtualChip.Tamper? = nil) async throws -> ChipReader.Result {
        try await PassiveAuthenticationTests.read(profile, tamper, mrz: Specimen.nlPassport2035)
    }

    @Test func eachProfileProvesItsChip() async throws {
        let expected: [(ChipProfile, AntiClone)] = [
            (.nlPassport2025, .chipAuthentication("CA-ECDH-AES-256 on brainpoolP512r1")),
            (.nlID2021, .chipAuthentication("CA-ECDH-AES-128 on prime256v1")),
            (.paceAndBAC, .activeAuthentication("AA RSA-2048, ISO 9796-2 with SHA-1")),
            (.bacOnly, .activeAuthentication("AA RSA-1024, ISO 9796-2 with SHA-1")),
        ]
        for (profile, outcome) in expected {
            let result = try await Self.read(profile)
            #expect(result.antiClone == outcome, "\(profile.name)")
            #expect(result.passive?.isValid == true, "\(profile.name): DG14 and DG15 are in the SOD")
        }
        var ecdsa = ChipProfile.nlPassport2025
        ecdsa.chipAuthentication = nil
        #expect(try await Self.read(ecdsa).antiClone == .activeAuthentication("AA EC brainpoolP320r1, ECDSA with SHA-256"))
    }

    @Test func aCloneFailsChipAndActiveAuthentication() async throws {
        for profile in [ChipProfile.nlPassport2025, .paceAndBAC] {
            let result = try await Self.read(profile, .clone)
            #expect(result.passive?.isValid == true, "the clone carries the genuine data and SOD")
            guard case .failed = result.antiClone else {
                Issue.record("\(profile.name): a clone passed with \(String(describing: result.antiClone))")
                continue
            }
        }
        var ecdsa = ChipProfile.nlPassport2025
        ecdsa.chipAuthentication = nil
        #expect(
            try await Self.read(ecdsa, .clone).antiClone
                == .failed("the chip failed authentication: the active-authentication signature does not verify"))
    }

    @Test func aChipWithoutDG14OrDG15SaysSo() async throws {
        var bare = ChipProfile.nlID2021
        bare.chipAuthentication = nil
        #expect(try await Self.read(bare).antiClone == .notSupported)
    }

    @Test func iso9796RecoveryRefusesForgeries() throws {
        let pki = try PassiveAuthenticationTests.pki()
        let key = try pki.chipKey("rsa-1024")
        let publicKey = try PublicKey(subjectPublicKeyInfo: key.subjectPublicKeyInfo)
        let challenge: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        let good = try key.rsaSignRaw(try ActiveAuthentication.iso9796Message(challenge, size: 128))
        #expect(try ActiveAuthentication.verifyISO9796(good, challenge, publicKey) == "SHA-1")
        #expect(throws: MRTDError.authenticationFailed("the active-authentication signature does not verify")) {
            try ActiveAuthentication.verifyISO9796(good, [8, 7, 6, 5, 4, 3, 2, 1], publicKey)
        }
        #expect(throws: MRTDError.self) { try ActiveAuthentication.verifyISO9796(Array(good.dropLast()), challenge, publicKey) }
        var header = try ActiveAuthentication.iso9796Message(challenge, size: 128)
        header[0] = 0x4B
        #expect(
            throws: MRTDError.authenticationFailed("the active-authentication signature does not recover a message (header)")
        ) { try ActiveAuthentication.verifyISO9796(try key.rsaSignRaw(header), challenge, publicKey) }
    }
}

/// A document replayed from its elementary files (as a dump of a real chip would be): its data reads and passes passive
/// authentication, and its chip authentication fails, since a dump has no private keys.
extension AntiCloneTests {
    @Test func aDumpReplaysWithValidDataAndAFailedChip() async throws {
        let pki = try PassiveAuthenticationTests.pki()
        let original = try VirtualChip(mrz: Specimen.nlPassport2035, profile: .nlPassport2025, pki: pki)
        let folder = try Harness.scratch() + "/dump"
        try original.dump(to: folder)
        var files: [UInt16: [UInt8]] = [:]
        for (name, id) in VirtualChip.dumpedFiles {
            files[id] = Array(try #require(FileManager.default.contents(atPath: folder + "/" + name), "\(name)"))
        }
        let replay = InProcessCard(try VirtualChip(dumpedFiles: files))
        let result = try await ChipReader.readIdentity(
            replay, key: try MRZ(Specimen.nlPassport2035).accessKey, trust: try PassiveAuthenticationTests.trust())
        #expect(result.access.description == "PACE-ECDH-GM-AES-256 on brainpoolP320r1 with the MRZ")
        #expect(result.passive?.isValid == true)
        guard case .failed = result.antiClone else {
            Issue.record("a replayed dump proved a chip: \(String(describing: result.antiClone))")
            return
        }
        files[ChipReader.efDG1] = nil
        #expect(throws: (any Error).self) { try VirtualChip(dumpedFiles: files) }
    }
}

/// EF.COM is not signed: a copy that drops DG14 and DG15 from it, to pass for a document without chip or active
/// authentication, is caught by the SOD, which lists them.
extension AntiCloneTests {
    static func genuineFiles() throws -> [UInt16: [UInt8]] {
        let chip = try VirtualChip(
            mrz: Specimen.nlPassport2035, profile: .nlPassport2025, pki: try PassiveAuthenticationTests.pki())
        let folder = try Harness.scratch() + "/dump"
        try chip.dump(to: folder)
        var files: [UInt16: [UInt8]] = [:]
        for (name, id) in VirtualChip.dumpedFiles {
            files[id] = FileManager.default.contents(atPath: folder + "/" + name).map(Array.init)
        }
        return files
    }

    static func read(_ files: [UInt16: [UInt8]]) async throws -> ChipReader.Result {
        try await ChipReader.readIdentity(
            InProcessCard(try VirtualChip(dumpedFiles: files)), key: try MRZ(Specimen.nlPassport2035).accessKey,
            trust: try PassiveAuthenticationTests.trust())
    }

    @Test func aCopyThatHidesDG14AndDG15FromEFCOMIsCaught() async throws {
        var files = try Self.genuineFiles()
        // EF.COM listing DG1 only: the files are still read, since the SOD lists them, and the copy's keys fail.
        files[ChipReader.efCOM] = TLV.encode(
            0x60,
            TLV.encode(0x5F01, Array("0107".utf8)) + TLV.encode(0x5F36, Array("040000".utf8)) + TLV.encode(0x5C, [0x61]))
        let hidden = try await Self.read(files)
        #expect(hidden.passive?.isValid == true)
        guard case .failed = hidden.antiClone else {
            Issue.record("a copy passed with \(String(describing: hidden.antiClone))")
            return
        }
        // The files gone as well: the SOD says DG14 was there.
        files[ChipReader.efDG14] = nil
        files[ChipReader.efDG15] = nil
        #expect(try await Self.read(files).passive == .dataAltered(dataGroup: 14))
    }
}
