import Foundation
import KioskCore
import KioskTesting
import Testing
import VirtualMRTD

@testable import MRTD

/// Passive authentication with a test PKI made by the openssl command: the valid case, and each way it fails.
@Suite struct PassiveAuthenticationTests {
    /// One PKI for the whole test run, in a scratch folder.
    static let shared = Result { try TestPKI(directory: try Harness.scratch() + "/pki") }
    static func pki() throws -> TestPKI { try shared.get() }

    static let dg1 = TLV.encode(0x61, TLV.encode(0x5F1F, Array(Specimen.nlPassport2035.filter { $0 != "\n" }.utf8)))

    static func sod(_ signer: TestPKI.Signer = .valid, type: String = SecurityObject.contentTypes[0]) throws -> [UInt8] {
        let (certificate, key) = try pki().signer(signer)
        return try SecurityObject.sign([1: dg1], signer: certificate, key: key, type: type)
    }

    static func trust() throws -> TrustStore { try TrustStore([try pki().csca]) }

    @Test func theIssuersDataUnderATrustedCSCAIsValid() throws {
        let outcome = PassiveAuthentication.verify(sod: try Self.sod(), dataGroups: [1: Self.dg1], trust: try Self.trust())
        #expect(
            outcome
                == .valid(
                    country: "NL", documentSigner: "C=NL, O=Kiosk Test, CN=Test Document Signer 1",
                    csca: "C=NL, O=Kiosk Test, CN=Test CSCA NL"))
        // Dutch SODs may carry their own content type.
        let dutch = try Self.sod(type: "1.2.528.1.1006.1.20.1")
        #expect(PassiveAuthentication.verify(sod: dutch, dataGroups: [1: Self.dg1], trust: try Self.trust()).isValid)
    }

    @Test func anAlteredDataGroupIsNamed() throws {
        var altered = Self.dg1
        altered[altered.count - 3] = UInt8(ascii: "7")
        #expect(
            PassiveAuthentication.verify(sod: try Self.sod(), dataGroups: [1: altered], trust: try Self.trust())
                == .dataAltered(dataGroup: 1))
        // A data group the SOD does not list counts as altered too.
        #expect(
            PassiveAuthentication.verify(
                sod: try Self.sod(), dataGroups: [1: Self.dg1, 15: [0x6F, 0x00]], trust: try Self.trust())
                == .dataAltered(dataGroup: 15))
    }

    @Test func aSignerNoTrustedCSCAIssuedIsAnUnknownIssuer() throws {
        #expect(
            PassiveAuthentication.verify(sod: try Self.sod(.rogue), dataGroups: [1: Self.dg1], trust: try Self.trust())
                == .unknownIssuer(documentSigner: "C=NL, O=Kiosk Test, CN=Test Document Signer 2"))
    }

    @Test func anExpiredSignerOrABrokenSignatureIsInvalid() throws {
        let expired = PassiveAuthentication.verify(
            sod: try Self.sod(.expired), dataGroups: [1: Self.dg1], trust: try Self.trust())
        #expect(
            expired == .invalid("the Document Signer C=NL, O=Kiosk Test, CN=Test Document Signer 3: its certificate has expired"))

        // A byte of the signed hashes changed: the DS's signature no longer covers it.
        var sod = try Self.sod()
        let hash = EVP.Digest.sha256.hash(Self.dg1)
        let at = try #require(sod.firstRange(of: hash)).lowerBound
        sod[at] ^= 0xFF
        guard case .invalid(let why) = PassiveAuthentication.verify(sod: sod, dataGroups: [1: Self.dg1], trust: try Self.trust())
        else {
            Issue.record("a forged SOD passed")
            return
        }
        #expect(why.hasPrefix("the signature does not verify"))
    }

    @Test func malformedSODsAreInvalidWithOneLine() throws {
        for (bytes, line) in [
            ([UInt8](), "malformed document data: EF.SOD is not one tag 77"),
            (TLV.encode(0x77, [0x30, 0x00]), "malformed document data: EF.SOD is not CMS"),
            (TLV.encode(0x60, []), "malformed document data: EF.SOD is not one tag 77"),
        ] {
            guard case .invalid(let why) = PassiveAuthentication.verify(sod: bytes, dataGroups: [:], trust: try Self.trust())
            else {
                Issue.record("garbage passed")
                continue
            }
            #expect(why.hasPrefix(line), "\(why)")
        }
        #expect(throws: MRTDError.self) { try SecurityObject.parseLDSSecurityObject([0x30, 0x03, 0x02, 0x01, 0x00]) }
        #expect(throws: MRTDError.malformedStructure("data group 17 in the LDS security object")) {
            try SecurityObject.parseLDSSecurityObject(
                TLV.encode(
                    0x30,
                    TLV.encode(0x02, [0]) + TLV.encode(0x30, OID("2.16.840.1.101.3.4.2.1").encoded)
                        + TLV.encode(0x30, TLV.encode(0x30, TLV.encode(0x02, [17]) + TLV.encode(0x04, [1])))))
        }
    }
}

/// The whole read with passive authentication, against the virtual chip in-process: every profile genuine, and each tamper.
extension PassiveAuthenticationTests {
    static func read(_ profile: ChipProfile, _ tamper: VirtualChip.Tamper? = nil, mrz: String = Specimen.nlPassport2035)
        async throws -> ChipReader.Result
    {
        let chip = try VirtualChip(mrz: mrz, profile: profile, pki: try pki(), tamper: tamper)
        return try await ChipReader.readIdentity(InProcessCard(chip), key: try MRZ(mrz).accessKey, trust: try trust())
    }

    @Test(arguments: ChipProfile.all) func everyProfileReadsWithAValidSOD(profile: ChipProfile) async throws {
        let result = try await Self.read(profile)
        #expect(result.passive?.isValid == true, "\(String(describing: result.passive))")
    }

    @Test func eachTamperIsCaughtByName() async throws {
        #expect(try await Self.read(.nlPassport2025, .dg1).passive == .dataAltered(dataGroup: 1))
        #expect(try await Self.read(.nlID2021, .dg1, mrz: Specimen.nlID2031).passive == .dataAltered(dataGroup: 1))
        guard case .invalid(let why) = try await Self.read(.nlPassport2025, .sodSignature).passive else {
            Issue.record("a broken signature passed")
            return
        }
        #expect(why.hasPrefix("the signature does not verify"))
        #expect(
            try await Self.read(.nlPassport2025, .unknownIssuer).passive
                == .unknownIssuer(documentSigner: "C=NL, O=Kiosk Test, CN=Test Document Signer 2"))
        // A chip with no SOD at all.
        let bare = InProcessCard(try VirtualChip(mrz: Specimen.nlPassport2035, profile: .nlPassport2025))
        let read = try await ChipReader.readIdentity(
            bare, key: try MRZ(Specimen.nlPassport2035).accessKey, trust: try Self.trust())
        #expect(read.passive == .invalid("the chip has no EF.SOD"))
    }
}
