import Central
import Foundation
import KioskCore
import KioskDevices
import Logging
import Payment

/// Payments for the engine: the journal first, then the terminal; every unfinished entry settled at start; reversals.
///
/// No money lost, none taken twice:
/// - an attempt is committed before the terminal is asked, so a crash at any moment leaves an entry the next start settles;
/// - an approval and its request commit in one transaction, so an approved payment always carries on as a queued request;
/// - an outcome nobody can tell is a fault for staff, never a second attempt for the same reference.
actor PaymentDesk {
    let terminal: any PaymentTerminal
    let journal: PaymentJournal
    let faults: FaultReporter
    /// How long the drainer leaves a freshly paid request alone, while the flow's submit sends it on the fast path.
    let queueDelay: Duration
    let logger: Logger
    /// The settling under way: a start and the terminal's coming online both ask for one, and it runs once at a time.
    private var settling: Task<Void, Never>?

    init(terminal: any PaymentTerminal, journal: PaymentJournal, faults: FaultReporter, queueDelay: Duration, logger: Logger) {
        self.terminal = terminal
        self.journal = journal
        self.faults = faults
        self.queueDelay = queueDelay
        self.logger = logger
    }

    var terminalID: String { terminal.profile.id }

    /// Collects an order's amount: journal, terminal, journal.
    func pay(_ order: PaymentOrder, prompt: @escaping @Sendable ([String]) -> Void) async -> PaymentResult {
        // An older attempt still unsettled is asked about first: after a new payment the terminal's last is no longer it.
        if (try? await journal.hasUnsettled()) == true { await settleJournal() }
        let reference = KioskReference.make()
        let attempt: PaymentAttempt
        do {
            attempt = try await journal.begin(
                reference: reference, amountCents: order.amountCents, day: CalendarDate.today().iso, request: order.request)
        } catch {
            logger.critical("payment \(reference) not started: the journal could not store it (\(error.detail))")
            if error.full { await faults.raise(.diskFull) }
            return .failed(.notJournaled)
        }
        logger.info("payment \(reference): \(order.amountCents) cents for \(order.product), attempt \(attempt.sequence)")
        let outcome = await terminal.authorise(attempt, prompt: prompt)
        return await settle(attempt, request: order.request, outcome)
    }

    func abort() async {
        logger.info("payment: the resident cancelled on the screen; asking the terminal to abort")
        await terminal.abort()
    }

    /// One terminal outcome into the journal, and the result the runner gets.
    func settle(_ attempt: PaymentAttempt, request: ServiceRequest?, _ outcome: AuthorisationOutcome) async
        -> PaymentResult
    {
        switch outcome {
        case .approved(let approval):
            return await approved(attempt, request: request, approval)
        case .declined(let reason):
            await close(attempt, "declined: \(reason)")
            return .declined
        case .cancelled:
            await close(attempt, "cancelled")
            return .cancelled
        case .timedOut:
            await close(attempt, "timed out, aborted")
            return .failed(.timedOut)
        case .unavailable(let reason):
            await close(attempt, "terminal unavailable: \(reason)")
            return .failed(reason.lowercased().contains("busy") ? .terminalBusy : .terminalUnavailable)
        case .unknown(let reason):
            logger.warning("payment \(attempt.reference): outcome unknown (\(reason)); asking the terminal")
            switch await terminal.lastTransaction(attempt) {
            case .approved(let approval):
                return await approved(attempt, request: request, approval)
            case .notCharged:
                await close(attempt, "not charged (the terminal said so after: \(reason))")
                return .failed(.terminalUnavailable)
            case .unknown(let why):
                await leaveUnknown(attempt, "\(reason); asked again: \(why)")
                return .unknown(reference: attempt.reference)
            }
        }
    }

    private func approved(_ attempt: PaymentAttempt, request: ServiceRequest?, _ approval: TerminalApproval) async
        -> PaymentResult
    {
        let record = PaymentRecord(
            reference: attempt.reference, transactionID: approval.transactionID, terminalID: approval.terminalID,
            amountCents: approval.amountCents, brand: approval.brand, time: approval.time, day: CalendarDate.today().iso)
        guard approval.amountCents == attempt.amountCents else {
            // Not what was asked: the money goes back, and the resident pays nothing for a request that is not sent.
            logger.critical(
                "payment \(attempt.reference): the terminal approved \(approval.amountCents) cents, not \(attempt.amountCents); reversing"
            )
            do {
                try await journal.approved(attempt, approval, request: nil, notBefore: Date())
            } catch {
                logger.critical("payment \(attempt.reference): the journal could not store the approval (\(error.detail))")
            }
            await reverse(reference: attempt.reference, why: "approved amount differs from the fee")
            return .failed(.terminalUnavailable)
        }
        var paid = request
        if case .extractRequest(var extract) = request {
            extract.payment = record
            paid = .extractRequest(extract)
        }
        do {
            try await journal.approved(attempt, approval, request: paid, notBefore: Date().addingTimeInterval(queueDelay.seconds))
        } catch {
            // Charged, and not on disk: the entry stays `sent`, and the next start asks the terminal and queues it.
            logger.critical("payment \(attempt.reference): approved, but the journal could not store it (\(error.detail))")
            await faults.raise(.paymentUnknown(terminalID, reference: attempt.reference))
            return .unknown(reference: attempt.reference)
        }
        await faults.resolve(.paymentUnknown(terminalID, reference: attempt.reference))
        logger.info("payment \(attempt.reference): approved (\(approval.brand), transaction \(approval.transactionID))")
        return .approved(record, receipt: approval.receipt)
    }

    private func close(_ attempt: PaymentAttempt, _ detail: String) async {
        logger.info("payment \(attempt.reference): \(detail); nothing charged")
        do {
            try await journal.notCharged(attempt, detail: detail)
        } catch {
            logger.error("payment \(attempt.reference): the journal could not close the entry (\(error.detail))")
        }
        await faults.resolve(.paymentUnknown(terminalID, reference: attempt.reference))
    }

    private func leaveUnknown(_ attempt: PaymentAttempt, _ detail: String) async {
        logger.error("payment \(attempt.reference): the terminal cannot tell whether it was charged (\(detail)); staff settle it")
        try? await journal.unknown(attempt, detail: detail)
        await faults.raise(.paymentUnknown(terminalID, reference: attempt.reference))
    }

    // MARK: - Settling

    /// Settles what the journal holds unfinished: at start, and whenever the terminal comes back. One at a time: a second
    /// call waits for the one under way.
    func settleJournal() async {
        if let settling { return await settling.value }
        let task = Task {
            // A terminal still busy with the payment a crash interrupted answers "busy": ask again, a few times.
            for round in 0..<3 {
                if round > 0 { try? await Task.sleep(for: .seconds(1)) }
                await self.settleEntries()
                guard (try? await self.journal.unfinished().isEmpty) == false else { break }
            }
        }
        settling = task
        await task.value
        settling = nil
    }

    private func settleEntries() async {
        let entries: [PaymentJournal.Entry]
        do {
            entries = try await journal.unfinished()
        } catch {
            logger.error("payment journal unreadable: \(error)")
            return
        }
        for entry in entries {
            switch entry.state {
            case .reversing:
                await reverse(entry)
            case .sent, .unknown:
                switch await terminal.lastTransaction(entry.attempt) {
                case .approved(let approval):
                    _ = await approved(entry.attempt, request: entry.request, approval)
                    logger.notice("payment \(entry.reference): found approved after a restart; its request is queued")
                case .notCharged:
                    await close(entry.attempt, "not charged (found after a restart)")
                case .unknown(let why):
                    if entry.state == .sent {
                        await leaveUnknown(entry.attempt, "found unfinished after a restart; \(why)")
                    } else {
                        logger.notice("payment \(entry.reference): still unknown (\(why))")
                    }
                }
            default:
                break
            }
        }
    }

    // MARK: - Reversals

    /// The central refused the paid request `reference`: the money goes back. A request without a payment is left alone.
    func reverse(reference: String, why: String) async {
        let entry: PaymentJournal.Entry?
        do {
            entry = try await journal.startReversal(reference: reference, why: why)
        } catch {
            logger.error("payment \(reference): cannot mark the reversal (\(error.detail))")
            return
        }
        guard let entry else { return }
        await reverse(entry)
    }

    private func reverse(_ entry: PaymentJournal.Entry) async {
        guard let approval = entry.approval else {
            logger.error("payment \(entry.reference): nothing to reverse by (no approval kept)")
            try? await journal.reversalRefused(entry, detail: "no approval kept")
            await faults.raise(.paymentReversalFailed(terminalID, reference: entry.reference))
            return
        }
        switch await terminal.reverse(approval, sequence: entry.sequence) {
        case .reversed(let id):
            try? await journal.reversed(entry, detail: "reversed by transaction \(id)")
            logger.notice("payment \(entry.reference): reversed (\(approval.amountCents) cents back)")
            await faults.raise(.paymentReversed(terminalID, reference: entry.reference))
        case .refused(let reason):
            try? await journal.reversalRefused(entry, detail: reason)
            logger.critical("payment \(entry.reference): the terminal refused the reversal (\(reason)); refund by hand")
            await faults.raise(.paymentReversalFailed(terminalID, reference: entry.reference))
        case .unavailable(let reason):
            logger.warning("payment \(entry.reference): reversal not done yet (\(reason)); tried again when the terminal is back")
        }
    }
}
