import MRTD
import Testing

@Suite struct T0TransportTests {
    @Test func sixtyOneMeansGetResponse() async throws {
        let card = ReplayTransport([
            ("0084000008", "6108"),
            ("00C0000008", "46089000"),
        ])
        #expect(try await T0Transport(card).transmit(Array(hex: "0084000008")!).hex == "46089000")
    }

    @Test func sixtyOneCanComeInParts() async throws {
        let card = ReplayTransport([
            ("00B0000010", "6104"),
            ("00C0000004", "01020304610C"),
            ("00C000000C", "05060708090A0B0C0D0E0F109000"),
        ])
        #expect(try await T0Transport(card).transmit(Array(hex: "00B0000010")!).hex == "0102030405060708090A0B0C0D0E0F109000")
    }

    @Test func sixtyCeeMeansSendAgainWithThisLe() async throws {
        let card = ReplayTransport([
            ("00B0000000", "6C04"),
            ("00B0000004", "600D5F019000"),
        ])
        #expect(try await T0Transport(card).transmit(Array(hex: "00B0000000")!).hex == "600D5F019000")
    }

    @Test func aCardThatNeverStopsIsRefused() async throws {
        let card = ReplayTransport([("0084000008", "6101")] + (0..<64).map { _ in ("00C0000001", "006101") })
        await #expect(throws: MRTDError.truncated("the card kept answering 61xx")) {
            _ = try await T0Transport(card).transmit(Array(hex: "0084000008")!)
        }
    }

    @Test func plainAnswersPassThrough() async throws {
        let card = ReplayTransport([("0084000008", "01020304050607089000")])
        #expect(try await T0Transport(card).transmit(Array(hex: "0084000008")!).hex == "01020304050607089000")
    }
}
