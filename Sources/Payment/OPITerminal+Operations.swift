import Foundation
public import KioskDevices
import Logging
import OPI
import Synchronization

/// The payment terminal's operations over OPI, and how each answer maps onto the protocol-neutral outcomes.
extension OPITerminal {
    public func authorise(_ attempt: PaymentAttempt, prompt: @escaping @Sendable ([String]) -> Void) async
        -> AuthorisationOutcome
    {
        let id = String(attempt.sequence)
        count("payments")
        state.withLock {
            $0.underway = id
            $0.abortedForTime = false
        }
        await channel1.expect(id, .init(prompt: prompt))
        // The resident's time at the terminal; then the kiosk aborts, and the terminal still has abortSeconds to answer.
        let slow = Task { [weak self] in
            guard let self else { return }
            try? await Task.sleep(for: self.paymentTimeout)
            guard !Task.isCancelled else { return }
            self.state.withLock { $0.abortedForTime = true }
            self.logger.warning("payment \(attempt.reference): no answer from the terminal in \(self.paymentTimeout); aborting")
            await self.abort()
        }
        let message = cardRequest("CardPayment", id: id, amountCents: attempt.amountCents)
        let answer = await channel0.request(message, timeout: paymentTimeout + abortTimeout)
        slow.cancel()
        let receipt = await channel1.finish(id)
        if case .success(let response) = answer, response.overallResult == "Loggedout" {
            // The terminal forgot the login (it restarted): the next request connects and logs in again.
            await channel0.drop("the terminal says the kiosk is logged out")
        }
        let abortedForTime = state.withLock { shared in
            shared.underway = nil
            return shared.abortedForTime
        }
        let outcome = map(answer, attempt, receipt: receipt, abortedForTime: abortedForTime)
        switch outcome {
        case .approved: count("approved")
        case .declined: count("declined")
        case .cancelled, .timedOut: count("cancelled")
        case .unknown: count("unknown")
        case .unavailable: break
        }
        return outcome
    }

    public func abort() async {
        guard let id = state.withLock({ $0.underway }) else { return }
        let message = cardRequest("AbortRequest", id: id + "-A", amountCents: nil)
        if case .failure(let failure) = await channel0.request(message, timeout: abortTimeout) {
            logger.warning("payment terminal: the abort got no answer (\(failure))")
        }
    }

    public func reverse(_ approval: TerminalApproval, sequence: Int) async -> ReversalOutcome {
        count("reversals")
        let original = OPIElement("OriginalTransaction", ["STAN": approval.transactionID, "TerminalID": approval.terminalID])
        let message = cardRequest(
            "PaymentReversal", id: "\(sequence)-R", amountCents: approval.amountCents, children: [original])
        switch await channel0.request(message, timeout: answerTimeout) {
        case .failure(let failure):
            return .unavailable(reason: failure.description)
        case .success(let answer):
            guard answer.kind == .cardServiceResponse, answer.requestType == "PaymentReversal" else {
                return .unavailable(reason: "a \(answer.kind.rawValue) \(answer.requestType) in answer to a reversal")
            }
            switch answer.overallResult {
            case "Success": return .reversed(transactionID: answer.root.find("Terminal")?["STAN"] ?? "")
            case "Failure": return .refused(reason: Self.reason(answer))
            default: return .unavailable(reason: answer.overallResult ?? "?")
            }
        }
    }

    public func lastTransaction(_ attempt: PaymentAttempt) async -> InquiryOutcome {
        let message = serviceRequest("RepeatLastMessage")
        switch await channel0.request(message, timeout: answerTimeout, inquiry: true) {
        case .failure(let failure):
            return .unknown(reason: failure.description)
        case .success(let answer) where answer.kind == .serviceResponse:
            // The terminal has no payment of this workstation to repeat: ours never reached it.
            if answer.requestID == message.requestID, answer.overallResult == "Failure" { return .notCharged }
            return .unknown(reason: "the terminal answered \(answer.overallResult ?? "?")")
        case .success(let answer):
            guard answer.requestType == "CardPayment", let last = Int(answer.requestID) else {
                return .unknown(reason: "the last message repeated is not a payment")
            }
            if last < attempt.sequence { return .notCharged }
            if last > attempt.sequence { return .unknown(reason: "the terminal has a later payment since") }
            switch map(.success(answer), attempt, receipt: [], abortedForTime: false) {
            case .approved(let approval): return .approved(approval)
            case .unknown(let why): return .unknown(reason: why)
            default: return .notCharged
            }
        }
    }

    public func closeDay() async -> ClosureOutcome {
        switch await channel0.request(serviceRequest("ReconciliationWithClosure"), timeout: answerTimeout) {
        case .failure(let failure):
            return .failed(reason: failure.description)
        case .success(let answer):
            guard answer.kind == .serviceResponse, answer.overallResult == "Success" else {
                return .failed(reason: "the terminal answered \(answer.overallResult ?? "?")")
            }
            var lines: [DayTotals.Line] = []
            for total in answer.root.find("Reconciliation")?.children("TotalAmount") ?? [] {
                guard let cents = OPIMessage.cents(total.text), let count = Int(total["NumberPayments"] ?? "") else {
                    return .failed(reason: "a total that is not an amount and a count")
                }
                lines.append(.init(brand: total["CardCircuit"] ?? "?", count: count, amountCents: cents))
            }
            return .closed(DayTotals(lines: lines))
        }
    }

    // MARK: - Answers

    /// A payment's answer as an outcome. Anything that says the card may have been used, and cannot be read, is unknown.
    func map(
        _ answer: Result<OPIMessage, OPILinkFailure>, _ attempt: PaymentAttempt, receipt: [String], abortedForTime: Bool
    ) -> AuthorisationOutcome {
        let response: OPIMessage
        switch answer {
        case .failure(let failure):
            return failure.maybeDelivered ? .unknown(reason: failure.description) : .unavailable(reason: failure.description)
        case .success(let message):
            response = message
        }
        guard response.kind == .cardServiceResponse, response.requestType == "CardPayment" else {
            return .unknown(reason: "a \(response.kind.rawValue) \(response.requestType) in answer to a payment")
        }
        guard response.workstationID == workstation else { return .unknown(reason: "an answer for another workstation") }
        switch response.overallResult {
        case "Success":
            return approval(response, attempt, receipt: receipt)
        case "Failure", "UnknownCard":
            return .declined(reason: Self.reason(response))
        case "Aborted":
            return abortedForTime ? .timedOut : .cancelled
        case "TimedOut":
            return .timedOut
        case "Busy", "Loggedout", "DeviceUnavailable", "FormatError", "ParsingError", "ValidationError",
            "MissingMandatoryData":
            return .unavailable(reason: response.overallResult ?? "?")
        default:
            return .unknown(reason: "OverallResult '\(OPIText.scrub(response.overallResult ?? "", limit: 32))'")
        }
    }

    private func approval(_ response: OPIMessage, _ attempt: PaymentAttempt, receipt: [String]) -> AuthorisationOutcome {
        let root = response.root
        // A STAN is a short number; anything longer (a card number, say) is not kept, and the outcome is left unknown.
        guard let stan = OPIText.id(root.find("Terminal")?["STAN"], limit: 12) else {
            return .unknown(reason: "an approval without a usable STAN")
        }
        guard let text = root.find("Tender/TotalAmount")?.text, let cents = OPIMessage.cents(text) else {
            return .unknown(reason: "an approval without an amount")
        }
        let authorisation = root.find("Tender/Authorisation")
        let brand = OPIText.scrub(authorisation?["CardCircuit"] ?? root.find("CardValue/CardCircuit")?.text ?? "?", limit: 24)
        // The terminal's time when it looks like one; the kiosk's own otherwise.
        let stamp = authorisation?["TimeStamp"] ?? ""
        let time =
            stamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:?\d{2})?/) != nil
            ? stamp : ISO8601DateFormatter().string(from: Date())
        return .approved(
            TerminalApproval(
                transactionID: stan, terminalID: OPIText.id(root.find("Terminal")?["TerminalID"], limit: 16) ?? "",
                amountCents: cents, brand: brand.isEmpty ? "?" : brand,
                maskedCard: TerminalApproval.mask(authorisation?["CardPAN"]), time: time, receipt: receipt))
    }

    /// The terminal's own words for a refusal, if it gave any: for the log, never the screen.
    static func reason(_ response: OPIMessage) -> String {
        let text = response.root.find("PrivateData/ErrorText")?.text ?? response.root.find("PrivateData/ErrorCode")?.text
        return OPIText.scrub(text ?? response.overallResult ?? "?")
    }
}
