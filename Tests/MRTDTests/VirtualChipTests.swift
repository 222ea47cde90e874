import KioskCore
import KioskTesting
import MRTD
import Testing
import VirtualMRTD

/// The reader against the virtual chip, in-process: the same code paths the pcscd integration test takes, without pcscd.
@Suite struct VirtualChipTests {
    static let td3 = Specimen.td3
    static let td1 = Specimen.td1

    @Test(arguments: [td3, td1]) func theRightMRZReadsTheHolder(mrz: String) async throws {
        let chip = InProcessCard(try VirtualChip(mrz: mrz))
        let result = try await ChipReader.readIdentity(chip, key: try MRZ(mrz).accessKey)
        #expect((try result.identity) == Identity(mrz: try MRZ(mrz)))
        #expect(result.dataGroups == [0x61])
        // SELECT of EF.CardAccess (not found), SELECT applet, GET CHALLENGE, EXTERNAL AUTHENTICATE, then SELECT and two
        // READ BINARYs per file.
        #expect(result.apdus == 10)
        #expect(result.access == .bac)
    }

    @Test func aWrongMRZIsAccessDenied() async throws {
        let chip = InProcessCard(try VirtualChip(mrz: Self.td3))
        let other = try AccessKey(
            documentNumber: "L898902C3", birth: CalendarDate(year: 1974, month: 8, day: 13)!,
            expiry: CalendarDate(year: 2012, month: 4, day: 15)!)
        await #expect(throws: MRTDError.accessDenied) { _ = try await ChipReader.readIdentity(chip, key: other) }
    }

    @Test func noPlainReadsBeforeBAC() async throws {
        let chip = try VirtualChip(mrz: Self.td3)
        #expect(chip.respond(Array(hex: "00A4040C07A0000002471001")!) == [0x90, 0x00])
        #expect(chip.respond(Array(hex: "00A4020C02011E")!) == [0x69, 0x82])
        #expect(chip.respond(Array(hex: "00B0000004")!) == [0x69, 0x82])
        #expect(chip.respond([0x00]) == [0x67, 0x00])
    }
}

extension VirtualChipTests {
    @Test func aPlainCommandEndsTheSessionButANewSelectStartsAfresh() async throws {
        let card = InProcessCard(try VirtualChip(mrz: Self.td3))
        let key = try MRZ(Self.td3).accessKey
        _ = try await ChipReader.readIdentity(card, key: key)
        // Still in the first reader's session: a plain read is refused and ends it.
        #expect(try await card.transmit(Array(hex: "00B0000004")!) == [0x69, 0x88])
        // A reader that left without a reset: the next one selects the application and reads.
        _ = try await ChipReader.readIdentity(card, key: key)
        _ = try await ChipReader.readIdentity(card, key: key)
    }
}
