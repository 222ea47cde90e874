import KioskCore
import KioskTesting
import SmartCard
import Testing

@testable import MRTD

/// A card is outside input: every malformed answer is a typed error with one line, never a crash.
@Suite struct HostileCardTests {
    @Test func aTamperedResponseMACIsRefused() async throws {
        var channel = AppendixDTests.channel()
        _ = try channel.protect(.select(file: 0x011E))
        #expect(throws: MRTDError.secureMessaging("the response MAC does not verify")) {
            try channel.unprotect(try ResponseAPDU(bytes: Array(hex: "990290008E08FA855A5D4C50A8EE9000")!))
        }
    }

    @Test func aResponseWithoutDO99IsRefused() throws {
        var channel = AppendixDTests.channel()
        _ = try channel.protect(.select(file: 0x011E))
        #expect(throws: MRTDError.secureMessaging("the response has no DO'99'")) {
            try channel.unprotect(try ResponseAPDU(bytes: Array(hex: "8E08FA855A5D4C50A8ED9000")!))
        }
        #expect(throws: MRTDError.status(0x6987, during: "a protected command")) {
            try channel.unprotect(try ResponseAPDU(bytes: [0x69, 0x87]))
        }
    }

    @Test func aRefusedKeyIsAccessDenied() async throws {
        for status in ["6300", "6982"] {
            let card = ReplayTransport([
                ("0084000008", "4608F919887022129000"),
                (
                    "0082000028" + "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2" + "5F1448EEA8AD90A7"
                        + "28", status
                ),
            ])
            await #expect(throws: MRTDError.accessDenied) {
                _ = try await BAC.authenticate(
                    card, key: DocumentKey(mrzInformation: AppendixDTests.key.mrzInformation), nonces: AppendixDTests.nonces)
            }
        }
    }

    @Test func truncatedAndOddAnswersAreTypedErrors() async throws {
        #expect(throws: MRTDError.truncated("a response APDU of 1 bytes has no status word")) {
            try ResponseAPDU(bytes: [0x90])
        }
        let short = ReplayTransport([("0084000008", "46089000")])
        await #expect(throws: MRTDError.truncated("GET CHALLENGE returned 2 bytes")) {
            _ = try await BAC.authenticate(
                short, key: DocumentKey(mrzInformation: AppendixDTests.key.mrzInformation), nonces: AppendixDTests.nonces)
        }
    }

    @Test func tlvLengthsBeyondTheBufferAreRefused() throws {
        #expect(throws: MRTDError.malformedTLV("length 5 runs past the end (2 bytes left)")) {
            try TLV.parseAll([0x61, 0x05, 0x01, 0x02])
        }
        #expect(throws: MRTDError.malformedTLV("object ends early at byte 3")) { try TLV.parseAll([0x61, 0x82, 0xFF]) }
        #expect(throws: MRTDError.malformedTLV("length form 132 is not supported")) {
            try TLV.parseAll([0x61, 0x84, 0, 0, 0, 1, 0])
        }
        #expect(throws: MRTDError.malformedTLV("tag longer than 3 bytes")) { try TLV.parseAll([0x5F, 0x81, 0x81, 0x01]) }
        #expect(try TLV.parseAll([0x5F, 0x1F, 0x01, 0x41]) == [TLV(tag: 0x5F1F, value: [0x41])])
        #expect(try TLV.parseAll([]) == [])
    }

    @Test func dg1MustHoldAValidMRZ() throws {
        let td3 = Specimen.td3.filter { $0 != "\n" }
        let dg1 = TLV.encode(0x61, TLV.encode(0x5F1F, Array(td3.utf8)))
        #expect(try DataGroup1(dg1).mrz == td3)
        // The driver's mapping reads the fields, with every check digit.
        let identity = try DataGroup1(dg1).identity
        #expect(identity.surname == "ERIKSSON")
        #expect(identity.givenNames == "ANNA MARIA")
        #expect(identity.birthDate == "740812")

        var broken = Array(td3.utf8)
        broken[60] = UInt8(ascii: "9")  // the birth date's check digit
        #expect(throws: MRTDError.self) { try DataGroup1(TLV.encode(0x61, TLV.encode(0x5F1F, broken))).identity }
        #expect(throws: MRTDError.malformedDG1("an MRZ of 3 bytes")) {
            try DataGroup1(TLV.encode(0x61, TLV.encode(0x5F1F, [0x41, 0x42, 0x43])))
        }
        #expect(throws: MRTDError.malformedDG1("tag 61 is missing")) { try DataGroup1(TLV.encode(0x60, [])) }
    }

    @Test func commandAPDUsRoundTrip() {
        for hex in ["00A4040C07A0000002471001", "0084000008", "00B0000000", "0CB000000D9701048E08ED6705417E96BA5500"] {
            #expect(CommandAPDU(bytes: Array(hex: hex)!)?.bytes.hex == hex)
        }
        #expect(CommandAPDU(bytes: [0x00, 0xA4, 0x04, 0x0C, 0x09, 0x01]) == nil, "Lc says 9, one byte follows")
        #expect(CommandAPDU(bytes: [0x00]) == nil)
        // Extended lengths: Lc of three bytes and Le of two, as PACE on a 2048-bit group needs them.
        let long = CommandAPDU(cla: 0x10, ins: 0x86, p1: 0, p2: 0, data: [UInt8](repeating: 0xAB, count: 300), le: 65536)
        #expect(long.bytes.count == 4 + 3 + 300 + 2)
        #expect(Array(long.bytes[4..<7]) == [0x00, 0x01, 0x2C])
        #expect(CommandAPDU(bytes: long.bytes) == long)
        #expect(CommandAPDU(bytes: Array(hex: "00B00000000100")!)?.le == 256)
        #expect(CommandAPDU(bytes: Array(hex: "00B0000000012C01")!) == nil, "extended Lc says 300, 1 byte follows")
    }
}

/// Bad answers during PACE: each is one typed error, and nothing is read.
extension HostileCardTests {
    static let g1Head: [(String, String)] = [
        ("0022C1A40F800A04007F00070202040202830101", "9000"),
        ("10860000027C0000", "7C12801095A3A016522EE98D01E76CB6B98B42C39000"),
    ]
    static let g1MappingCommand =
        "10860000457C43814104"
        + "7ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D"
        + "00"

    static func paceWithChipMapping(_ answer: String) async throws {
        let card = ReplayTransport(g1Head + [(g1MappingCommand, answer)])
        let info = try #require(try SecurityInfos(der: AppendixG1Tests.cardAccess).preferredPACE)
        _ = try await PACE.establish(
            card, info: info, password: .mrz(AppendixG1Tests.key.mrzInformation), keys: AppendixG1Tests.terminalKeys)
    }

    @Test func aMappingPointOffTheCurveIsRefused() async throws {
        var point = Array(hex: AppendixG1Tests.chipMapping)!
        point[64] ^= 0x01
        await #expect(throws: MRTDError.badPublicKey("the point is not on brainpoolP256r1")) {
            try await Self.paceWithChipMapping("7C438241" + point.hex + "9000")
        }
    }

    @Test func thePointAtInfinityAndShortPointsAreRefused() async throws {
        await #expect(throws: MRTDError.badPublicKey("a point of 1 bytes is not an uncompressed point on brainpoolP256r1")) {
            try await Self.paceWithChipMapping("7C038201009000")
        }
        // A compressed point is not what Doc 9303 sends.
        await #expect(throws: MRTDError.self) {
            try await Self.paceWithChipMapping("7C2382210260332EF2450B5D247EF6D3868397D398852ED6E8CAF6FFEEF6BF85CA57057FD59000")
        }
    }

    @Test func aMappingAnswerWithoutItsTagIsMalformed() async throws {
        await #expect(throws: MRTDError.malformedStructure("dynamic authentication data has no 82")) {
            try await Self.paceWithChipMapping("7C0481020000" + "9000")
        }
        await #expect(throws: MRTDError.malformedStructure("dynamic authentication data is not one 7C template")) {
            try await Self.paceWithChipMapping("7D00" + "9000")
        }
    }

    @Test func malformedCardAccessIsOneLine() throws {
        #expect(throws: MRTDError.malformedStructure("SecurityInfos is not one SET")) {
            try SecurityInfos(der: Array(hex: "3003020101")!)
        }
        #expect(throws: MRTDError.malformedStructure("a SecurityInfo without an OID and its data")) {
            try SecurityInfos(der: Array(hex: "31053003020101")!)
        }
        #expect(throws: MRTDError.malformedStructure("a PACEInfo's version is not a small INTEGER")) {
            _ = try SecurityInfos(der: Array(hex: "3110300E060A04007F00070202040202" + "0200")!).pace
        }
        #expect(throws: MRTDError.self) { try SecurityInfos(der: Array(hex: "3114301206")!) }
    }
}
