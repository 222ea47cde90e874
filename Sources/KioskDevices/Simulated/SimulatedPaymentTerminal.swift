import Foundation
public import KioskCore
import Synchronization

/// A payment terminal in the process, for the demo with simulated devices and for flow tests: it approves every payment
/// with the brand `SIMULATED`, unless its behaviour is set in process (no kioskctl verb reaches it yet), and keeps its
/// transactions for inquiries, reversals and the day's closure. The real peer is `kiosk-pinpad`, behind the opi driver.
public final class SimulatedPaymentTerminal: PaymentTerminal {
    /// What the next payments come to.
    public enum Behaviour: String, Sendable, CaseIterable {
        case approve, decline, cancel, unavailable
    }

    private struct Books {
        var behaviour = Behaviour.approve
        var approved: [Int: TerminalApproval] = [:]
        var reversed: Set<String> = []
        var closedUpTo = 0
        var stan = 0
    }

    private let core: SimulatedCore
    private let books = Mutex(Books())

    public init(profile: DeviceProfile) {
        core = SimulatedCore(profile: profile, status: .online)
    }

    public var profile: DeviceProfile { core.profile }
    public var events: AsyncStream<DeviceEvent> { core.events }
    public var capabilities: [String: String] { ["protocol": "simulated", "currency": "EUR"] }
    public func status() async -> DeviceStatus { core.status }

    public func set(_ behaviour: Behaviour) { books.withLock { $0.behaviour = behaviour } }
    public func set(_ status: DeviceStatus) { core.set(status) }

    public func authorise(_ attempt: PaymentAttempt, prompt: @escaping @Sendable ([String]) -> Void) async
        -> AuthorisationOutcome
    {
        prompt(["Pas insteken of aanhouden", "Insert or tap card"])
        return books.withLock { books in
            switch books.behaviour {
            case .decline: return .declined(reason: "declined (simulated)")
            case .cancel: return .cancelled
            case .unavailable: return .unavailable(reason: "unavailable (simulated)")
            case .approve:
                books.stan += 1
                let approval = TerminalApproval(
                    transactionID: String(books.stan), terminalID: "SIM00001", amountCents: attempt.amountCents,
                    brand: "SIMULATED", maskedCard: "**** 0000", time: ISO8601DateFormatter().string(from: Date()),
                    receipt: ["SIMULATIE / SIMULATION", "Bedrag / Amount: \(attempt.amountCents) ct", "Akkoord / Approved"])
                books.approved[attempt.sequence] = approval
                return .approved(approval)
            }
        }
    }

    public func abort() async {}

    public func reverse(_ approval: TerminalApproval, sequence: Int) async -> ReversalOutcome {
        books.withLock { books in
            guard books.approved.values.contains(where: { $0.transactionID == approval.transactionID }) else {
                return .refused(reason: "unknown transaction \(approval.transactionID)")
            }
            books.reversed.insert(approval.transactionID)
            return .reversed(transactionID: approval.transactionID)
        }
    }

    public func lastTransaction(_ attempt: PaymentAttempt) async -> InquiryOutcome {
        books.withLock { books in books.approved[attempt.sequence].map { .approved($0) } ?? .notCharged }
    }

    public func closeDay() async -> ClosureOutcome {
        books.withLock { books in
            let open = books.approved.filter { $0.key > books.closedUpTo && !books.reversed.contains($0.value.transactionID) }
            books.closedUpTo = books.approved.keys.max() ?? books.closedUpTo
            let amount = open.values.reduce(0) { $0 + $1.amountCents }
            return .closed(
                DayTotals(lines: open.isEmpty ? [] : [.init(brand: "SIMULATED", count: open.count, amountCents: amount)]))
        }
    }
}
