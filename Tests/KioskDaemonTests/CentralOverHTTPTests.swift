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

    /// An extract request through the control socket, as far as the step after submitting. kiosk-central produces a standard
    /// extract at once and queues an international one for its back office.
    static func requestExtract(_ kiosk: RunningKiosk, product: String = "international") async throws {
        try await kiosk.requestExtract(product: product)
    }

    struct PrinterReport: Decodable {
        struct Device: Decodable {
            var deviceClass: String
            var counters: [String: Int]
        }
        var devices: [Device]
        var printer: [String: Int] { devices.first { $0.deviceClass == "printer" }?.counters ?? [:] }
    }

    @Test func onlineTheExtractIsProducedFetchedAndPrinted() async throws {
        let central = try await CentralPeer.start()
        let kiosk = try await RunningKiosk(central: central)
        try await Self.requestExtract(kiosk, product: "standard")
        try await Harness.eventually("the extract printed") { try await kiosk.step() == "done" }
        let report = try JSONDecoder().decode(PrinterReport.self, from: Data(try await kiosk.ctl("status", "--json").stdout.utf8))
        // The extract, and after it the payment terminal's receipt on a ticket of its own.
        #expect(report.printer["jobsPrinted"] == 2)
        #expect((report.printer["documentBytes"] ?? 0) > 1000, "the central's PDF went to the printer")
        #expect(kiosk.log.contains("print extract (PDF, "))
        let entries = try await Self.queue(kiosk)
        #expect(entries.map(\.state) == ["delivered"])
        _ = try await kiosk.ctl("press", "finish")
        #expect(!kiosk.log.contains(Specimen.nlBSN))
        #expect(!kiosk.log.contains("BRUIJN"))
        #expect(try await kiosk.stop() == 0)
    }

    @Test func onlineAQueuedExtractGetsAReceiptAndTheEntryIsDelivered() async throws {
        let central = try await CentralPeer.start()
        let kiosk = try await RunningKiosk(central: central)
        try await Self.requestExtract(kiosk)
        try await Harness.eventually("the queued-extract receipt") { try await kiosk.step() == "done-queued" }
        let entries = try await Self.queue(kiosk)
        #expect(entries.map(\.state) == ["delivered"])
        let reference = try #require(entries.first?.reference)
        let cases = try await CentralPeer.admin(of: central).listCases().ok.body.json
        #expect(cases.map(\.reference) == [reference])
        #expect(!kiosk.log.contains(Specimen.nlBSN))
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

    @Test func staffHearOfALongOutageAndOfARefusedRequestThroughTheCentral() async throws {
        let central = try await CentralPeer.start()
        let admin = try await CentralPeer.admin(of: central)
        let kiosk = try await RunningKiosk(central: central, centralSettings: ["unreachableFaultSeconds: 2"])
        _ = try await admin.setBehaviour(body: .json(.init(unavailableRetryAfter: 1))).noContent
        try await Self.requestExtract(kiosk)
        try await Harness.eventually("the offline receipt") { try await kiosk.step() == "done-offline" }
        try await Harness.eventually("the outage fault", seconds: 15) {
            try await kiosk.ctl("status").stdout.contains("central.unreachable")
        }
        #expect(try await admin.listFaults().ok.body.json.isEmpty, "raised offline: it waits in the outbox")

        _ = try await admin.setBehaviour(body: .json(.init())).noContent
        try await Harness.eventually("the outage fault raised and resolved at the central", seconds: 20) {
            let faults = try await admin.listFaults().ok.body.json
            return faults.contains { $0.key == "test-kiosk.central.unreachable" && $0.resolvedAt != nil }
        }
        #expect(try await kiosk.ctl("status").stdout.contains("faults   none"))

        // A request the central refuses for good becomes a dead letter and a fault, until staff deal with it.
        _ = try await kiosk.ctl("press", "finish")
        try await Harness.eventually("the outage's request delivered", seconds: 15) {
            try await Self.queue(kiosk).allSatisfy { $0.state == "delivered" }
        }
        _ = try await admin.setBehaviour(body: .json(.init(refuse: true, pathPrefix: "/v1/extract-requests"))).noContent
        try await Self.requestExtract(kiosk)
        try await Harness.eventually("the refusal") { try await kiosk.step() == "rejected" }
        let dead = try #require(try await Self.queue(kiosk).first { $0.state == "dead" })
        try await Harness.eventually("the dead-letter fault at the central", seconds: 10) {
            try await admin.listFaults().ok.body.json.contains {
                $0.key == "test-kiosk.outbox.dead-letter" && $0.resolvedAt == nil
            }
        }
        _ = try await kiosk.ctl("queue", "drop", "\(dead.id)", "--yes")
        try await Harness.eventually("the dead-letter fault resolved", seconds: 10) {
            try await admin.listFaults().ok.body.json.contains {
                $0.key == "test-kiosk.outbox.dead-letter" && $0.resolvedAt != nil
            }
        }
        #expect(!kiosk.log.contains(Specimen.nlBSN))
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
