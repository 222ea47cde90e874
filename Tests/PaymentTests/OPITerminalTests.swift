import Foundation
import KioskCore
import KioskDevices
import KioskTesting
import Payment
import Pinpad
import Testing

/// The opi driver against kiosk-pinpad, a real process: every outcome a payment can have, inquiries, reversals and the
/// day's closure.
@Suite(.serialized) struct OPITerminalTests {
    static let shared = Task { try await PinpadFixture.start() }

    @Test func anApprovalCarriesTheReceiptAndOnlyTheLastFourDigits() async throws {
        let fixture = try await Self.shared.value
        let prompts = Prompts()
        let attempt = fixture.attempt()
        let outcome = await fixture.terminal.authorise(attempt, prompt: prompts.sink)
        guard case .approved(let approval) = outcome else {
            Issue.record("expected approved, got \(outcome)")
            return
        }
        #expect(approval.amountCents == 1440)
        #expect(approval.brand == "Maestro")
        #expect(approval.maskedCard == "**** 1234")
        #expect(!"\(approval)".contains(PinpadTerminal.testPAN))
        #expect(approval.receipt.contains("Bedrag: EUR 14.40"))
        #expect(prompts.all.contains(["Voer uw PIN in", "Enter your PIN"]))
        let books = try await fixture.pinpad.state()
        #expect(books.transactions.contains { $0.stan == approval.transactionID && $0.amountCents == 1440 })
        #expect(books.refusals.isEmpty, "kiosk-pinpad refused: \(books.refusals)")
    }

    @Test(arguments: [
        (PinpadBehaviour.decline, "declined"), (.cancel, "cancelled"), (.cardRemoved, "cancelled"), (.busy, "unavailable"),
        (.loggedOut, "unavailable"), (.slow, "timedOut"),
    ])
    func eachRefusalChargesNothing(_ behaviour: PinpadBehaviour, _ expected: String) async throws {
        let fixture = try await Self.shared.value
        try await fixture.set(behaviour)
        let attempt = fixture.attempt()
        let outcome = await fixture.terminal.authorise(attempt, prompt: { _ in })
        let name =
            switch outcome {
            case .approved: "approved"
            case .declined: "declined"
            case .cancelled: "cancelled"
            case .timedOut: "timedOut"
            case .unavailable: "unavailable"
            case .unknown: "unknown"
            }
        #expect(name == expected, "\(behaviour) gave \(outcome)")
        #expect(await fixture.terminal.lastTransaction(attempt) == .notCharged)
        // And the terminal takes the next payment (after a logout, the driver logs in again).
        guard case .approved = await fixture.terminal.authorise(fixture.attempt(), prompt: { _ in }) else {
            Issue.record("the payment after \(behaviour) was not approved")
            return
        }
    }

    @Test func aDropAfterApprovalIsUnknownUntilTheTerminalIsAsked() async throws {
        let fixture = try await Self.shared.value
        try await fixture.set(.dropAfterApprove)
        let attempt = fixture.attempt()
        guard case .unknown = await fixture.terminal.authorise(attempt, prompt: { _ in }) else {
            Issue.record("a dropped connection after approval must be unknown")
            return
        }
        guard case .approved(let approval) = await fixture.terminal.lastTransaction(attempt) else {
            Issue.record("asked again, the terminal must say approved")
            return
        }
        #expect(approval.amountCents == 1440)
    }

    @Test func aTerminalThatCannotTellLeavesItUnknown() async throws {
        let fixture = try await Self.shared.value
        try await fixture.set(.dropAfterApprove, inquiries: false)
        let attempt = fixture.attempt()
        _ = await fixture.terminal.authorise(attempt, prompt: { _ in })
        guard case .unknown = await fixture.terminal.lastTransaction(attempt) else {
            Issue.record("a terminal without its journal cannot say")
            return
        }
        try await fixture.set(.approve, times: nil, inquiries: true)
    }

    @Test func aLostRequestAndGarbageAreNotCharges() async throws {
        let fixture = try await Self.shared.value
        for behaviour in [PinpadBehaviour.noAnswer, .garbage] {
            try await fixture.set(behaviour)
            let attempt = fixture.attempt()
            guard case .unknown = await fixture.terminal.authorise(attempt, prompt: { _ in }) else {
                Issue.record("\(behaviour) must leave the outcome unknown")
                continue
            }
            #expect(await fixture.terminal.lastTransaction(attempt) == .notCharged, "\(behaviour)")
        }
        #expect(try await fixture.pinpad.state().refusals.isEmpty)
    }

    @Test func aReversalIsKeyedOnTheOriginalTransaction() async throws {
        let fixture = try await Self.shared.value
        let attempt = fixture.attempt(1755)
        guard case .approved(let approval) = await fixture.terminal.authorise(attempt, prompt: { _ in }) else {
            Issue.record("not approved")
            return
        }
        guard case .reversed(let first) = await fixture.terminal.reverse(approval, sequence: attempt.sequence) else {
            Issue.record("not reversed")
            return
        }
        #expect(await fixture.terminal.reverse(approval, sequence: attempt.sequence) == .reversed(transactionID: first))
        var unknown = approval
        unknown.transactionID = "999999"
        guard case .refused = await fixture.terminal.reverse(unknown, sequence: attempt.sequence) else {
            Issue.record("a reversal of a transaction the terminal never made must be refused")
            return
        }
        let books = try await fixture.pinpad.state()
        #expect(books.transactions.first { $0.stan == approval.transactionID }?.reversed == true)
        try await fixture.pinpad.set(PinpadSettings())
    }

    @Test func theDayClosureGivesTheTerminalsTotalsNetOfReversals() async throws {
        let fixture = try await Self.shared.value
        _ = await fixture.terminal.closeDay()
        var approvals: [TerminalApproval] = []
        for cents in [1440, 1440, 1755] {
            let attempt = fixture.attempt(cents)
            guard case .approved(let approval) = await fixture.terminal.authorise(attempt, prompt: { _ in }) else {
                Issue.record("not approved")
                return
            }
            approvals.append(approval)
        }
        _ = await fixture.terminal.reverse(approvals[1], sequence: 1)
        guard case .closed(let totals) = await fixture.terminal.closeDay() else {
            Issue.record("no closure")
            return
        }
        #expect(totals.count == 2)
        #expect(totals.amountCents == 1440 + 1755)
        #expect(await fixture.terminal.closeDay() == .closed(DayTotals(lines: [])))
    }
}
