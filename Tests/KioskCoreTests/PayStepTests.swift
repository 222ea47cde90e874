import Foundation
import KioskTesting
import Testing

@testable import KioskCore

/// The pay step: what `flows check` says of a bad one, and what the runner does with each outcome.
@Suite struct PayStepTests {
    static func issues(_ text: String) -> [String] {
        FlowLoader.load([(name: "Flows/paid.yaml", text: text)]).issues.map(\.description)
    }

    static let paidFlow = """
        id: paid
        title: {nl: Betaald, en: Paid}
        requires: [printer, paymentTerminal]
        steps:
          - id: product
            kind: choice
            store: product
            text: {nl: Kies, en: Choose}
            options:
              - {id: standard, label: {nl: A, en: A}, fee: "FEE", next: pay}
          - id: pay
            kind: pay
            text: {nl: "Betaal {fee}", en: "Pay {fee}"}
            outcomes: {approved: TARGET, declined: pay, cancelled: pay, failed: pay}
          - id: submit
            kind: submit
            text: {nl: Versturen, en: Sending}
            service: callStaff
            outcomes: {called: done, offline: done}
          - id: done
            kind: done
            text: {nl: Klaar, en: Done}
        """

    @Test func aFeeThatIsNotAnAmountIsAFlowsCheckErrorWithItsLine() {
        let found = Self.issues(
            Self.paidFlow.replacingOccurrences(of: "FEE", with: "14,40").replacingOccurrences(of: "TARGET", with: "submit"))
        #expect(
            found.contains { $0.hasPrefix("Flows/paid.yaml:10:") && $0.contains("fee '14,40' must be euros with two decimals") },
            "\(found)")
    }

    @Test func aPayStepNeedsTheTerminalAFeeAndASubmitAfterIt() {
        let good = Self.paidFlow.replacingOccurrences(of: "FEE", with: "14.40").replacingOccurrences(of: "TARGET", with: "submit")
        #expect(Self.issues(good) == [])
        let noTerminal = good.replacingOccurrences(of: "[printer, paymentTerminal]", with: "[printer]")
        #expect(
            Self.issues(noTerminal).contains {
                $0.hasPrefix("Flows/paid.yaml:11:") && $0.contains("must require paymentTerminal")
            }, "\(Self.issues(noTerminal))")
        let notSubmit = Self.paidFlow.replacingOccurrences(of: "FEE", with: "14.40").replacingOccurrences(
            of: "TARGET", with: "done")
        #expect(
            Self.issues(notSubmit).contains { $0.contains("an approved payment must lead to a submit step, not 'done' (done)") })
        let missing = good.replacingOccurrences(of: ", failed: pay", with: "")
        #expect(Self.issues(missing).contains { $0.contains("failed") })
    }

    static func atPay() throws -> Kiosk {
        var k = try Kiosk()
        k.autoPay = false
        k.beginExtract("international")
        try k.identifyWithPassport()
        k.press(.next)
        return k
    }

    @Test func thePaymentCarriesTheRequestAndTheScreenTheTerminalsWords() throws {
        var k = try Self.atPay()
        #expect(k.step == "pay")
        let (request, order) = try #require(k.payment)
        #expect(order.amountCents == 1755)
        guard case .extractRequest(let extract) = order.request else {
            Issue.record("the order carries the extract request")
            return
        }
        #expect(extract.product == "international" && extract.payment == nil)
        #expect(k.screen.body.first?.contains("€ 17,55") == true)
        // While it is under way: no stop, no call staff, no back; only the terminal, or the screen's own cancel.
        #expect(!k.screen.offers(.stop) && !k.screen.offers(.callStaff) && !k.screen.offers(.back))
        k.send(.paymentPrompt(request: request, ["Voer uw PIN in", "\u{202E}niP", String(repeating: "x", count: 200)]))
        #expect(k.screen.body.contains("Voer uw PIN in"))
        #expect(k.screen.body.contains("niP"), "a bidi override from the terminal is dropped")
        #expect(!k.screen.body.dropFirst().contains { $0.count > 60 }, "the terminal's lines are cut to 60")
        k.press(.cancelPayment)
        #expect(k.effects.contains(.abortPayment(request: request)))
    }

    @Test func anApprovalGoesOnToTheSubmitWithThePaymentAndNoWayBack() throws {
        var k = try Self.atPay()
        let (request, order) = try #require(k.payment)
        k.send(.paid(request: request, Kiosk.approval(order)))
        #expect(k.step == "submit")
        guard case .extractRequest(let extract) = try #require(k.serviceRequest) else {
            Issue.record("expected the extract request")
            return
        }
        #expect(extract.payment?.reference == "TLB-PAID0001")
        #expect(k.state.history.isEmpty, "back never leads to the terminal again")
    }

    @Test func declinedTwiceThenFailedLeavesOnlyStaff() throws {
        var k = try Self.atPay()
        for (result, phase) in [(PaymentResult.declined, "payment-declined"), (.cancelled, "payment-cancelled")] {
            let (request, _) = try #require(k.payment)
            k.send(.paid(request: request, result))
            #expect(k.step == "pay")
            #expect(k.state.phase.name == phase)
            #expect(k.screen.noticeText?.contains("Er is niets afgeschreven.") == true)
            k.press(.retry)
        }
        let (request, _) = try #require(k.payment)
        k.send(.paid(request: request, .failed(.timedOut)))
        #expect(k.state.phase.name == "payment-failed")
        #expect(!k.screen.offers(.retry), "three tries, then a staff member")
        #expect(k.screen.offers(.callStaff))
    }

    @Test func anOutcomeNobodyCanTellIsNeverAskedForAgain() throws {
        var k = try Self.atPay()
        let (request, _) = try #require(k.payment)
        k.send(.paid(request: request, .unknown(reference: "TLB-QR7X2M4P")))
        #expect(k.state.phase == .unconfirmed)
        #expect(k.screen.noticeText == UIText.paymentUnconfirmed(reference: "TLB-QR7X2M4P").nl)
        #expect(!k.screen.offers(.retry) && !k.screen.offers(.back))
        #expect(k.screen.offers(.callStaff))
        // A late answer to the same request changes nothing.
        k.send(.paid(request: request, .declined))
        #expect(k.state.phase == .unconfirmed)
    }
}
