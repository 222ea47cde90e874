import KioskCore
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
                _ = try await BAC.authenticate(card, key: AppendixDTests.key, nonces: AppendixDTests.nonces)
            }
        }
    }

    @Test func truncatedAndOddAnswersAreTypedErrors() async throws {
        #expect(throws: MRTDError.truncated("a response APDU of 1 bytes has no status word")) {
            try ResponseAPDU(bytes: [0x90])
        }
        let short = ReplayTransport([("0084000008", "46089000")])
        await #expect(throws: MRTDError.truncated("GET CHALLENGE returned 2 bytes")) {
            _ = try await BAC.authenticate(short, key: AppendixDTests.key, nonces: AppendixDTests.nonces)
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
        let td3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F1204159ZE184226B<<<<<10"
        let dg1 = TLV.encode(0x61, TLV.encode(0x5F1F, Array(td3.utf8)))
        let identity = try ChipReader.parseDG1(dg1)
        #expect(identity.surname == "ERIKSSON")
        #expect(identity.givenNames == "ANNA MARIA")
        #expect(identity.birthDate == "740812")

        var broken = Array(td3.utf8)
        broken[60] = UInt8(ascii: "9")  // the birth date's check digit
        #expect(throws: MRTDError.self) { try ChipReader.parseDG1(TLV.encode(0x61, TLV.encode(0x5F1F, broken))) }
        #expect(throws: MRTDError.malformedDG1("an MRZ of 3 bytes")) {
            try ChipReader.parseDG1(TLV.encode(0x61, TLV.encode(0x5F1F, [0x41, 0x42, 0x43])))
        }
        #expect(throws: MRTDError.malformedDG1("tag 61 is missing")) { try ChipReader.parseDG1(TLV.encode(0x60, [])) }
    }

    @Test func commandAPDUsRoundTrip() {
        for hex in ["00A4040C07A0000002471001", "0084000008", "00B0000000", "0CB000000D9701048E08ED6705417E96BA5500"] {
            #expect(CommandAPDU(bytes: Array(hex: hex)!)?.bytes.hex == hex)
        }
        #expect(CommandAPDU(bytes: [0x00, 0xA4, 0x04, 0x0C, 0x09, 0x01]) == nil, "Lc says 9, one byte follows")
        #expect(CommandAPDU(bytes: [0x00]) == nil)
    }
}
