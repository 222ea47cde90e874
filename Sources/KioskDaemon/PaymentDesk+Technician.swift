import Central
import Foundation
import KioskControl
import KioskCore
import KioskDevices
import Logging
import Payment

/// What a technician asks of the payments: the journal, the terminal's last transaction, a test payment, the day's closure.
extension PaymentDesk {
    func report() async throws -> PaymentReport {
        let entries = try await journal.list(limit: 20).map {
            PaymentReport.Entry(
                sequence: $0.sequence, reference: $0.reference, amountCents: $0.amountCents, state: $0.state,
                detail: $0.detail, brand: $0.brand, day: $0.day, updatedAt: $0.updatedAt)
        }
        let device = StatusReport.DeviceReport(
            id: terminal.profile.id, deviceClass: .paymentTerminal, driver: terminal.profile.driver,
            status: await terminal.status(), capabilities: terminal.capabilities, counters: terminal.counters)
        return PaymentReport(device: device, counts: try await journal.counts(), entries: entries)
    }

    /// What the terminal says of the newest journal entry.
    func last() async throws -> ControlReply {
        guard let entry = try await journal.newest() else { return ControlReply(ok: true, message: "no payments yet") }
        let said: String
        switch await terminal.lastTransaction(entry.attempt) {
        case .approved(let approval):
            said = "approved: \(approval.amountCents) cents, \(approval.brand), transaction \(approval.transactionID)"
        case .notCharged: said = "not charged"
        case .unknown(let why): said = "unknown (\(why))"
        }
        return ControlReply(
            ok: true, message: "\(entry.reference) (attempt \(entry.sequence), journal: \(entry.state.rawValue)): \(said)")
    }

    /// A real payment of `amountCents` with a test card, journaled like any other and reversed at once.
    func test(amountCents: Int) async -> ControlReply {
        guard (1...999_999).contains(amountCents) else { return ControlReply(ok: false, message: "AMOUNT: 1 to 999999 cents") }
        let order = PaymentOrder(amountCents: amountCents, product: "test", language: .nl, request: nil)
        let result = await pay(order) { _ in }
        guard case .approved(let record, _) = result else {
            return ControlReply(ok: false, message: "test payment: \(KioskEngine.summary(result))")
        }
        await reverse(reference: record.reference, why: "a technician's test payment")
        let state = (try? await journal.list(limit: 5).first { $0.reference == record.reference }?.state) ?? "?"
        return ControlReply(
            ok: state == PaymentJournal.State.reversed.rawValue,
            message: "test payment \(record.reference): approved (\(record.brand), transaction \(record.transactionID)); \(state)"
        )
    }

    /// Closes the terminal's day and compares it with what the central recorded: a difference is a fault.
    func closeDay(central: any CentralService) async -> DayClosureReport {
        let day = CalendarDate.today().iso
        let taken = (try? await journal.taken(on: day)) ?? (count: 0, amountCents: 0)
        let journalTotals = DayClosureReport.Totals(count: taken.count, amountCents: taken.amountCents)
        let totals: DayTotals
        switch await terminal.closeDay() {
        case .failed(let reason):
            return DayClosureReport(
                day: day, closed: nil, terminalDay: nil, central: nil, journal: journalTotals, matches: false,
                message: "the terminal did not close its day: \(reason)")
        case .closed(let closed):
            totals = closed
        }
        let daySum: (count: Int, amountCents: Int)
        do {
            daySum = try await journal.recordClosure(day: day, totals)
        } catch {
            daySum = (totals.count, totals.amountCents)
        }
        let terminalDay = DayClosureReport.Totals(count: daySum.count, amountCents: daySum.amountCents)
        let closed = DayClosureReport.Totals(count: totals.count, amountCents: totals.amountCents)
        var recorded: DayClosureReport.Totals?
        var message: String
        switch await central.paymentDay(day) {
        case .recorded(let count, let cents):
            recorded = DayClosureReport.Totals(count: count, amountCents: cents)
            message =
                recorded == terminalDay
                ? "the terminal's day matches the central's record"
                : "the terminal's day (\(terminalDay.count) payments, \(terminalDay.amountCents) cents) differs from the central's record (\(count), \(cents) cents)"
        case .unavailable(let why):
            message = "the central could not be asked (\(why))"
        }
        let matches = recorded == terminalDay
        logger.notice("payment: day \(day) closed; \(message)")
        if matches {
            await faults.resolve(.dayClosureMismatch(terminalID, day: day))
        } else {
            await faults.raise(.dayClosureMismatch(terminalID, day: day))
        }
        return DayClosureReport(
            day: day, closed: closed, terminalDay: terminalDay, central: recorded, journal: journalTotals, matches: matches,
            message: message)
    }
}
