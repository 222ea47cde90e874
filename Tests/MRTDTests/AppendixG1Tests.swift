import KioskCore
import Testing

@testable import MRTD

/// ICAO Doc 9303-11, Appendix G.1: PACE with ECDH generic mapping on brainpoolP256r1 and AES-128, byte for byte.
/// MRZ information from `T22000129`, `640812`, `101031`. The APDU trace is the one gmrtd replays in `pace/pace_test.go`.
@Suite struct AppendixG1Tests {
    static let key = try! AccessKey(
        documentNumber: "T22000129", birth: CalendarDate(year: 1964, month: 8, day: 12)!,
        expiry: CalendarDate(year: 2010, month: 10, day: 31)!)
    static let cardAccess = Array(hex: "31143012060A04007F0007020204020202010202010D")!
    static let terminalKeys = PACE.TerminalKeys(
        mapping: Array(hex: "7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99")!,
        ephemeral: Array(hex: "A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595")!)

    static let chipMapping =
        "04824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F5730D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C54"
    static let chipEphemeral =
        "049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094"

    static func trace() -> ReplayTransport {
        ReplayTransport([
            ("0022C1A40F800A04007F00070202040202830101", "9000"),
            ("10860000027C0000", "7C12801095A3A016522EE98D01E76CB6B98B42C39000"),
            (
                "10860000457C43814104"
                    + "7ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D"
                    + "00",
                "7C438241" + chipMapping + "9000"
            ),
            (
                "10860000457C43834104"
                    + "2DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462"
                    + "00",
                "7C438441" + chipEphemeral + "9000"
            ),
            ("008600000C7C0A8508C2B0BD78D94BA86600", "7C0A86083ABB9674BCE93C089000"),
        ])
    }

    @Test func g1CardAccessOffersECDHGenericMappingOnBrainpoolP256r1() throws {
        let info = try #require(try SecurityInfos(der: Self.cardAccess).preferredPACE)
        #expect(info.oid.dotted == "0.4.0.127.0.7.2.2.4.2.2")
        #expect(info.protocol?.description == "PACE-ECDH-GM-AES-128")
        #expect(info.parameterID == 13)
        #expect(PACEDomain(id: 13) == .brainpoolP256r1)
    }

    @Test func g1PasswordKeyAndDecryptedNonce() throws {
        let kPi = KeyDerivation.derive(
            PACE.Password.mrz(Self.key.mrzInformation).key, counter: KeyDerivation.passwordCounter, for: .aes128)
        #expect(kPi.hex == "89DED1B26624EC1E634C1989302849DD")
        let nonce = try BlockCipher.aes128.decrypt(kPi, Array(hex: "95A3A016522EE98D01E76CB6B98B42C3")!)
        #expect(nonce.hex == "3F00C4D39D153F2B2A214A078D899B22")
    }

    @Test func g1MappedGeneratorAndSharedSecret() throws {
        let group = try ECGroup(curve: PACEDomain.brainpoolP256r1.curveNID!)
        let h = try group.sharedElement(Self.terminalKeys.mapping!, Array(hex: Self.chipMapping)!)
        #expect(
            h.hex
                == "04" + "60332EF2450B5D247EF6D3868397D398852ED6E8CAF6FFEEF6BF85CA57057FD5"
                + "0840CA7415BAF3E43BD414D35AA4608B93A2CAF3A4E3EA4E82C9C13D03EB7181")
        let mapped = try #require(
            try group.mapped(nonce: Array(hex: "3F00C4D39D153F2B2A214A078D899B22")!, shared: h) as? ECGroup)
        #expect(
            mapped.generator.hex
                == "04" + "8CED63C91426D4F0EB1435E7CB1D74A46723A0AF21C89634F65A9AE87A9265E2"
                + "8C879506743F8611AC33645C5B985C80B5F09A0B83407C1B6A4D857AE76FE522")
        let secret = try mapped.sharedSecret(Self.terminalKeys.ephemeral!, Array(hex: Self.chipEphemeral)!)
        #expect(secret.hex == "28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925")
        let channel = SecureChannel(cipher: .aes128, sharedSecret: secret)
        #expect(channel.encryptionKey.hex == "F5F0E35C0D7161EE6724EE513A0D9A7F")
        #expect(channel.macKey.hex == "FE251C7858B356B24514B3BD5F4297D1")
    }

    @Test func g1TheWholeExchangeAndBothTokens() async throws {
        let card = Self.trace()
        let info = try #require(try SecurityInfos(der: Self.cardAccess).preferredPACE)
        let session = try await PACE.establish(
            card, info: info, password: .mrz(Self.key.mrzInformation), keys: Self.terminalKeys)
        #expect(session.channel.encryptionKey.hex == "F5F0E35C0D7161EE6724EE513A0D9A7F")
        #expect(session.channel.macKey.hex == "FE251C7858B356B24514B3BD5F4297D1")
        #expect(session.channel.ssc == [UInt8](repeating: 0, count: 16))
        #expect(session.domain == .brainpoolP256r1)
        #expect(await card.remaining == 0)
    }

    @Test func g1AChipTokenThatDoesNotVerifyIsRefused() async throws {
        let card = ReplayTransport([
            ("0022C1A40F800A04007F00070202040202830101", "9000"),
            ("10860000027C0000", "7C12801095A3A016522EE98D01E76CB6B98B42C39000"),
            (
                "10860000457C43814104"
                    + "7ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D"
                    + "00",
                "7C438241" + Self.chipMapping + "9000"
            ),
            (
                "10860000457C43834104"
                    + "2DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462"
                    + "00",
                "7C438441" + Self.chipEphemeral + "9000"
            ),
            ("008600000C7C0A8508C2B0BD78D94BA86600", "7C0A86083ABB9674BCE93C099000"),
        ])
        let info = try #require(try SecurityInfos(der: Self.cardAccess).preferredPACE)
        await #expect(throws: MRTDError.authenticationFailed("the chip's PACE authentication token does not verify")) {
            _ = try await PACE.establish(card, info: info, password: .mrz(Self.key.mrzInformation), keys: Self.terminalKeys)
        }
    }
}
