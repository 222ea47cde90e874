import Foundation
import KioskTesting
import Testing

/// `kioskctl cardreader` against pcscd and kiosk-emrtd, as a technician runs it. Serialized with the other vpcd tests.
extension PCSCReaderTests {

    static func ctl(_ arguments: String...) async throws -> Harness.Output {
        try await Harness.run(try Harness.binary("kioskctl"), arguments)
    }

    @Test func kioskctlCardreaderShowsTheCardAndTheHolder() async throws {
        try await PCSCPeer.shared.value
        let card = try await PCSCPeer.Card(mrz: Self.td3)
        try await Harness.eventually("kioskctl to see the card") {
            try await Self.ctl("cardreader", "status").stdout.contains("\(PCSCPeer.reader): card present, ATR 3B80800101")
        }
        let test = try await Self.ctl("cardreader", "test", "--reader", PCSCPeer.reader, "--wait", "5", "--mrz", Self.td3)
        #expect(test.status == 0, "\(test.stderr)")
        #expect(test.stdout.contains("read     10 APDUs"))
        #expect(test.stdout.contains("surname  ERIKSSON"))
        #expect(test.stdout.contains("document ******2C3"), "masked but for the last 3")
        #expect(!test.stdout.contains("L898902C3"))
        let pii = try await Self.ctl("cardreader", "test", "--wait", "5", "--show-pii", "--json", "--mrz", Self.td3)
        #expect(pii.stdout.contains("\"documentNumber\" : \"L898902C3\""))

        // Another document's MRZ (the TD1 specimen): valid, but not this chip's.
        let td1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
        let wrong = try await Self.ctl("cardreader", "test", "--wait", "5", "--mrz", td1)
        #expect(wrong.status == 1)
        #expect(
            wrong.stderr == "kioskctl: the chip refused the access key: the MRZ data does not match this document\n")
        let malformed = try await Self.ctl("cardreader", "test", "--wait", "1", "--mrz", "P<UTO")
        #expect(malformed.status == 1)
        #expect(malformed.stderr.hasPrefix("kioskctl: --mrz: "))
        try await card.remove()
        try await Harness.eventually("pcscd to see the card gone") {
            try await Self.ctl("cardreader", "status").stdout.contains("\(PCSCPeer.reader): no card")
        }
        let none = try await Self.ctl("cardreader", "test", "--wait", "1", "--reader", PCSCPeer.reader)
        #expect(none.status == 1)
        #expect(none.stderr == "kioskctl: no card on \(PCSCPeer.reader) within 1 s\n")
    }
}
