import CentralAPI
import Foundation
import KioskTesting
import Testing

/// kill -9 at random moments while residents submit extract requests, online and during an outage. Afterwards the central
/// holds every reference a resident was shown, each exactly once, and nothing the kiosk never stored.
@Suite(.serialized) struct CrashTests {
    /// Steps on which the resident has been told the request was received, with its reference.
    static let acknowledged: Set<String> = ["receipt", "receipt-queued", "done-queued", "done-offline"]

    /// One extract request; returns its reference once the resident saw it, or throws if kioskd died first.
    static func requestExtract(_ kiosk: RunningKiosk) async throws -> String {
        try await CentralOverHTTPTests.requestExtract(kiosk)
        try await Harness.eventually("the receipt", seconds: 10) { try await acknowledged.contains(kiosk.step() ?? "") }
        let entries = try await CentralOverHTTPTests.queue(kiosk)
        guard let newest = entries.max(by: { $0.id < $1.id }) else { throw HarnessError("no outbox entry after a receipt") }
        _ = try await kiosk.ctl("press", "finish")
        return newest.reference
    }

    @Test func killedAtRandomMomentsNothingAcknowledgedIsLostOrDoubled() async throws {
        let central = try await CentralPeer.start()
        let admin = try await CentralPeer.admin(of: central)
        let dir = try Harness.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var acknowledged: Set<String> = []
        let rounds = 6
        for round in 0..<rounds {
            let outage = round % 2 == 1
            _ = try await admin.setBehaviour(body: .json(outage ? .init(unavailableRetryAfter: 1) : .init())).noContent
            let kiosk = try await RunningKiosk(reusing: dir, central: central)
            let lifetime = Duration.milliseconds(Int.random(in: 2500...7000))
            let killer = Task {
                try? await Task.sleep(for: lifetime)
                try? await kiosk.crash()
            }
            while kiosk.isRunning {
                guard let reference = try? await Self.requestExtract(kiosk) else { break }
                acknowledged.insert(reference)
            }
            await killer.value
        }
        _ = try await admin.setBehaviour(body: .json(.init())).noContent
        let kiosk = try await RunningKiosk(reusing: dir, central: central)
        try await Harness.eventually("the outbox to drain after the crashes", seconds: 30) {
            try await CentralOverHTTPTests.queue(kiosk).allSatisfy { $0.state == "delivered" }
        }
        let stored = Set(try await CentralOverHTTPTests.queue(kiosk).map(\.reference))
        let cases = try await admin.listCases().ok.body.json.map(\.reference)
        print("crash test: \(rounds) kill -9s, \(acknowledged.count) acknowledged, \(cases.count) cases, \(stored.count) stored")
        #expect(acknowledged.count >= 2, "the test must have had requests acknowledged to prove anything")
        #expect(Set(cases).count == cases.count, "no reference twice")
        #expect(acknowledged.isSubset(of: Set(cases)), "lost: \(acknowledged.subtracting(cases))")
        #expect(Set(cases).isSubset(of: stored), "the central holds requests the kiosk never stored")
        #expect(try await kiosk.stop() == 0)
    }
}
