import KioskCore
import Testing

@testable import MRTD

/// ICAO Doc 9303-11, Appendix D: the worked example, byte for byte. MRZ information `L898902C<369080619406236`.
@Suite struct AppendixDTests {
    static let key = try! AccessKey(
        documentNumber: "L898902C", birth: CalendarDate(year: 1969, month: 8, day: 6)!,
        expiry: CalendarDate(year: 1994, month: 6, day: 23)!)
    static let nonces = BAC.Nonces(
        rndIFD: Array(hex: "781723860C06C226")!, kIFD: Array(hex: "0B795240CB7049B01C19B33E32804F0B")!)

    @Test func d2KeysFromTheMRZ() {
        #expect(Self.key.mrzInformation == "L898902C<369080619406236")
        let keys = BAC.Keys(mrzInformation: Self.key.mrzInformation)
        #expect(keys.encryption.hex == "AB94FDECF2674FDFB9B391F85D7F76F2")
        #expect(keys.mac.hex == "7962D9ECE03D1ACD4C76089DCE131543")
        #expect(BAC.Keys(seed: Array(hex: "239AB9CB282DAF66231DC5A4DF6BFBAE")!) == keys)
    }

    @Test func d3MutualAuthenticationAndSessionKeys() async throws {
        let card = ReplayTransport([
            ("0084000008", "4608F919887022129000"),
            (
                "0082000028" + "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2" + "5F1448EEA8AD90A7" + "28",
                "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F" + "2F2D235D074D7449" + "9000"
            ),
        ])
        let channel = try await BAC.authenticate(
            card, key: DocumentKey(mrzInformation: Self.key.mrzInformation), nonces: Self.nonces)
        #expect(channel.encryptionKey.hex == "979EC13B1CBFE9DCD01AB0FED307EAE5")
        #expect(channel.macKey.hex == "F1CB1F1FB5ADF208806B89DC579DC1F8")
        #expect(channel.ssc.hex == "887022120C06C226")
        #expect(await card.remaining == 0)
    }

    static func channel() -> SecureChannel {
        SecureChannel(
            encryptionKey: Array(hex: "979EC13B1CBFE9DCD01AB0FED307EAE5")!,
            macKey: Array(hex: "F1CB1F1FB5ADF208806B89DC579DC1F8")!, ssc: 0x8870_2212_0C06_C226)
    }

    @Test func d4SecureMessagingSelectAndReadOfEFCOM() async throws {
        let card = ReplayTransport([
            ("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800", "990290008E08FA855A5D4C50A8ED9000"),
            ("0CB000000D9701048E08ED6705417E96BA5500", "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000"),
            (
                "0CB000040D9701128E082EA28A70F3C7B53500",
                "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000"
            ),
        ])
        var channel = Self.channel()
        let selected = try await channel.send(.select(file: 0x011E), over: card)
        #expect(selected == ResponseAPDU(sw: 0x9000))
        #expect(channel.ssc.hex == "887022120C06C228")
        let head = try await channel.send(.readBinary(offset: 0, length: 4), over: card)
        #expect(head.data.hex == "60145F01")
        let rest = try await channel.send(.readBinary(offset: 4, length: 0x12), over: card)
        #expect(rest.data.hex == "04303130365F36063034303030305C026175")
        #expect(channel.ssc.hex == "887022120C06C22C")
    }

    @Test func theCryptogramAndItsMACMatchTheExample() throws {
        let s = Array(hex: "781723860C06C2264608F919887022120B795240CB7049B01C19B33E32804F0B")!
        let eIFD = try TripleDES.encrypt(Array(hex: "AB94FDECF2674FDFB9B391F85D7F76F2")!, s)
        #expect(eIFD.hex == "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2")
        #expect(
            try TripleDES.retailMAC(Array(hex: "7962D9ECE03D1ACD4C76089DCE131543")!, TripleDES.pad(eIFD)).hex
                == "5F1448EEA8AD90A7")
    }

    @Test func theLongDocumentNumberRuleOfD2() throws {
        let key = try AccessKey(
            documentNumber: "D23145890734", birth: CalendarDate(year: 1934, month: 7, day: 12)!,
            expiry: CalendarDate(year: 1995, month: 7, day: 12)!)
        #expect(key.mrzInformation == "D23145890734934071279507122")
    }
}
