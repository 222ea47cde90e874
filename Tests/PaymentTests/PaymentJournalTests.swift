import Central
import Foundation
import KioskCore
import KioskDevices
import KioskTesting
import Outbox
import Payment
import Testing

/// The payment journal on a real SQLite file: an approval and its request commit together, and what charged nothing keeps
/// nothing personal.
@Suite struct PaymentJournalTests {
    static func request() -> ServiceRequest {
        .extractRequest(
            ExtractRequest(
                product: "standard", feeCents: 1440, bsn: "999999990", bsnSource: .chip, identity: nil, language: .nl))
    }

    static func approval(_ cents: Int = 1440) -> TerminalApproval {
        TerminalApproval(
            transactionID: "4242", terminalID: "T1", amountCents: cents, brand: "Maestro", maskedCard: "**** 1234",
            time: "2026-11-28T12:00:00+01:00", receipt: ["Akkoord"])
    }

    @Test func anApprovalAndItsRequestCommitTogether() async throws {
        let dir = try Harness.scratch()
        let outbox = try Outbox(path: dir + "/outbox.sqlite", keyPath: dir + "/outbox.key")
        let journal = PaymentJournal(outbox: outbox)
        let attempt = try await journal.begin(
            reference: "TLB-JOURNAL1", amountCents: 1440, day: "2026-11-28", request: Self.request())
        #expect(try await journal.unfinished().map(\.reference) == ["TLB-JOURNAL1"])
        #expect(try await outbox.pending(reference: "TLB-JOURNAL1") == nil, "no request before the approval")
        try await journal.approved(attempt, Self.approval(), request: Self.request(), notBefore: Date())
        let pending = try #require(try await outbox.pending(reference: "TLB-JOURNAL1"))
        #expect(pending.delivery.reference == "TLB-JOURNAL1")
        #expect(try await journal.unfinished().isEmpty)
        #expect(try await journal.taken(on: "2026-11-28") == (1, 1440))
        let entry = try #require(try await journal.entry(sequence: attempt.sequence))
        #expect(entry.state == .queued && entry.approval?.transactionID == "4242" && entry.request == nil)
        // Sealed: neither the BSN nor the card's digits lie in the file in clear.
        await outbox.scrub()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/outbox.sqlite"))
        #expect(bytes.range(of: Data("999999990".utf8)) == nil && bytes.range(of: Data("1234".utf8)) == nil)
    }

    @Test func nothingChargedKeepsNothingPersonal() async throws {
        let dir = try Harness.scratch()
        let outbox = try Outbox(path: dir + "/outbox.sqlite", keyPath: dir + "/outbox.key")
        let journal = PaymentJournal(outbox: outbox)
        let attempt = try await journal.begin(
            reference: "TLB-JOURNAL2", amountCents: 1440, day: "2026-11-28", request: Self.request())
        try await journal.notCharged(attempt, detail: "declined")
        let entry = try #require(try await journal.entry(sequence: attempt.sequence))
        #expect(entry.state == .notCharged && entry.request == nil)
        #expect(try await journal.taken(on: "2026-11-28") == (0, 0))
        #expect(try await outbox.pending(reference: "TLB-JOURNAL2") == nil)
    }

    @Test func aReversalIsMarkedBeforeTheTerminalIsAsked() async throws {
        let dir = try Harness.scratch()
        let outbox = try Outbox(path: dir + "/outbox.sqlite", keyPath: dir + "/outbox.key")
        let journal = PaymentJournal(outbox: outbox)
        let attempt = try await journal.begin(reference: "TLB-JOURNAL3", amountCents: 1440, day: "2026-11-28", request: nil)
        try await journal.approved(attempt, Self.approval(), request: nil, notBefore: Date())
        let entry = try #require(try await journal.startReversal(reference: "TLB-JOURNAL3", why: "refused"))
        #expect(entry.approval?.transactionID == "4242")
        // A crash now leaves it `reversing`, which the next start takes up again.
        #expect(try await journal.unfinished().map(\.state) == [.reversing])
        try await journal.reversed(entry, detail: "reversed")
        #expect(try await journal.unfinished().isEmpty)
        #expect(try await journal.taken(on: "2026-11-28") == (0, 0))
        #expect(try await journal.startReversal(reference: "TLB-NOPAYMENT", why: "refused") == nil)
    }
}
