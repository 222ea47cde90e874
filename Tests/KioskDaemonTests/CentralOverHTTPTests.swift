import CentralAPI
import Foundation
import KioskTesting
import Testing

/// kioskd headless against a real kiosk-central over HTTP: commit first, the online fast path, the offline branch during an
/// outage, and delivery exactly once when the central is back.
@Suite(.serialized) struct CentralOverHTTPTests {
    struct Entry: Decodable {
        var id: Int64
        var kind: String
        var reference: String
        var state: String
        var attempts: Int
    }

    static func queue(_ kiosk: RunningKiosk) async throws -> [Entry] {
        let out = try await kiosk.ctl("queue", "list", "--json")
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode([Entry].self, from: Data(out.stdout.utf8))
    }

    /// An extract request through the control socket, as far as the step after submitting.
    static func requestExtract(_ kiosk: RunningKiosk) async throws {
        for action in ["start:extract-request", "next", "option:standard"] { _ = try await kiosk.ctl("press", action) }
        _ = try await kiosk.ctl("type", "123456782")
        _ = try await kiosk.ctl("press", "submit")
        try await Harness.eventually("identify") { try await kiosk.step() == "identify" }
        _ = try await kiosk.ctl("sim", "scan", Specimen.td3)
        _ = try await kiosk.ctl("sim", "card", "present", "--mrz", Specimen.td3)
        try await Harness.eventually("confirm") { try await kiosk.step() == "confirm" }
        _ = try await kiosk.ctl("press", "next")
    }

    @Test func onlineTheCentralAnswersAtOnceAndTheEntryIsDelivered() async throws {
        let central = try await CentralPeer.start()
        let kiosk = try await RunningKiosk(central: central)
        try await Self.requestExtract(kiosk)
        try await Harness.eventually("the queued-extract receipt") { try await kiosk.step() == "done-queued" }
        let entries = try await Self.queue(kiosk)
        #expect(entries.map(\.state) == ["delivered"])
        let reference = try #require(entries.first?.reference)
        let cases = try await CentralPeer.admin(of: central).listCases().ok.body.json
        #expect(cases.map(\.reference) == [reference])
        #expect(!kiosk.log.contains("123456782"))
        #expect(try await kiosk.stop() == 0)
    }

    @Test func duringAnOutageTheResidentGetsAReceiptAndTheRequestArrivesOnceLater() async throws {
        let central = try await CentralPeer.start()
        let admin = try await CentralPeer.admin(of: central)
        let kiosk = try await RunningKiosk(central: central)
        _ = try await admin.setBehaviour(body: .json(.init(unavailableRetryAfter: 1))).noContent

        try await Self.requestExtract(kiosk)
        try await Harness.eventually("the offline receipt") { try await kiosk.step() == "done-offline" }
        let status = try await kiosk.ctl("status")
        #expect(status.stdout.contains("central  offline"))
        let waiting = try await Self.queue(kiosk)
        #expect(waiting.map(\.state) == ["pending"])
        #expect(try await admin.listCases().ok.body.json.isEmpty)

        _ = try await admin.setBehaviour(body: .json(.init())).noContent
        try await Harness.eventually("delivery after the outage", seconds: 20) {
            try await Self.queue(kiosk).allSatisfy { $0.state == "delivered" }
        }
        let cases = try await admin.listCases().ok.body.json
        #expect(cases.map(\.reference) == waiting.map(\.reference), "the kiosk's reference, exactly once")
        try await Harness.eventually("the banner to go") { try await kiosk.ctl("status").stdout.contains("central  online") }
        #expect(try await kiosk.stop() == 0)
    }

    @Test func theCentralStoppedDuringABurstAndStartedAgainGetsEverythingOnce() async throws {
        let central = try await CentralPeer.start()
        let kiosk = try await RunningKiosk(central: central)
        try await Self.requestExtract(kiosk)
        try await Harness.eventually("the first receipt") { try await kiosk.step() == "done-queued" }
        _ = try await kiosk.ctl("press", "finish")

        try await CentralPeer.stop(central)
        for _ in 0..<2 {
            try await Self.requestExtract(kiosk)
            try await Harness.eventually("an offline receipt") { try await kiosk.step() == "done-offline" }
            _ = try await kiosk.ctl("press", "finish")
        }
        #expect(try await Self.queue(kiosk).filter { $0.state == "pending" }.count == 2)

        let port = try #require(central.url.port)
        let again = try await CentralPeer.start(database: central.dir + "/central.db", port: port)
        try await Harness.eventually("delivery after the restart", seconds: 20) {
            try await Self.queue(kiosk).allSatisfy { $0.state == "delivered" }
        }
        let references = try await Self.queue(kiosk).map(\.reference)
        let cases = try await CentralPeer.admin(of: again).listCases().ok.body.json.map(\.reference)
        #expect(cases.sorted() == references.sorted(), "all three, each once")
        #expect(try await kiosk.stop() == 0)
    }
}
