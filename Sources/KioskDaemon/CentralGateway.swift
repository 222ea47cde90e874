import Central
import Foundation
import KioskCore
import Logging
import Outbox

/// How a flow's request reaches the central: lookups directly, everything that changes something through the outbox first.
///
/// Commit first: the request is on disk before the central is asked, so the resident is never told "received" for something
/// that could still be lost. Then the online fast path: if the central answers within `fastPath`, the flow shows the answer;
/// otherwise it takes its offline branch with the kiosk's reference, and the drainer delivers the entry later, exactly once.
struct CentralGateway: Sendable {
    let central: any CentralService
    let outbox: Outbox
    let fastPath: Duration
    let policy: RetryPolicy
    let faults: FaultReporter
    let metrics: KioskMetrics
    let logger: Logger
    /// Reverses the payment of a paid request the central refuses; nil without a payment terminal.
    var reverse: (@Sendable (_ reference: String, _ why: String) async -> Void)? = nil

    /// What came of a request, for the engine.
    struct Outcome: Sendable {
        var result: ServiceResult
        /// Whether the central was reachable; nil when it was not asked.
        var reachable: Bool?
        /// The extract, when the central produced it at once.
        var document: ProducedDocument? = nil
    }

    func perform(_ request: ServiceRequest) async -> Outcome {
        var delivery = Delivery(reference: KioskReference.make(), idempotencyKey: UUID().uuidString)
        let kind = request.kind.rawValue
        guard request.changesState else {
            let answer = await send(request, delivery)
            logger.info("\(kind) → \(Self.summary(answer))")
            await faults.central(reachable: Self.reachable(answer))
            return Outcome(result: answer.result(reference: delivery.reference), reachable: Self.reachable(answer))
        }
        let id: Int64
        do {
            if let paid = try await paidEntry(request) {
                // Queued with the payment's approval; sent now on the fast path, never stored twice.
                (id, delivery) = paid
            } else {
                // The drainer keeps off the entry while the fast path is still trying it.
                let start = ContinuousClock.now
                id = try await outbox.enqueue(
                    request, delivery: delivery, notBefore: Date().addingTimeInterval(fastPath.seconds + 5))
                metrics.enqueued(ContinuousClock.now - start)
            }
        } catch {
            logger.critical("\(kind) not taken: the outbox could not store it: \(error)")
            if (error as? OutboxError)?.full == true || Outbox.isFull(error) { await faults.raise(.diskFull) }
            return Outcome(result: ServiceResult(.notTaken), reachable: nil)
        }
        await faults.resolve(.diskFull)
        let answer = await send(request, delivery)
        logger.info("\(kind) \(delivery.reference) → \(Self.summary(answer))")
        await faults.central(reachable: Self.reachable(answer))
        do {
            switch answer {
            case .answered(var result, let document):
                try await outbox.markDelivered(id)
                if result.outcome == .rejected, request.payment != nil {
                    // A case the central made only to reject it: the money goes back all the same.
                    await reverse?(delivery.reference, "rejected by the central")
                }
                if result.fields["reference"] == nil { result.fields["reference"] = delivery.reference }
                if let problem = result.fields.removeValue(forKey: ServiceResult.documentProblem) {
                    logger.warning("\(kind) \(delivery.reference): the produced extract could not be fetched: \(problem)")
                }
                return Outcome(result: result, reachable: true, document: document)
            case .refused(let reason):
                try await outbox.markDead(id, reason: reason)
                await faults.raise(.deadLetter)
                if request.payment != nil { await reverse?(delivery.reference, "refused by the central: \(reason)") }
                let outcome = [ServiceOutcome.rejected, .mismatch].first(where: request.kind.outcomes.contains) ?? .offline
                return Outcome(result: ServiceResult(outcome, fields: ["reference": delivery.reference]), reachable: true)
            case .unavailable(let reason, let retryAfter):
                if case .collectPickup = request {
                    // The resident is sent to the counter; handing the document out later, to nobody, would be wrong.
                    _ = try await outbox.drop(id)
                } else {
                    let delay = policy.delay(failures: 1, retryAfter: retryAfter, jitter: Double.random(in: 0..<1))
                    try await outbox.markFailed(id, retryAt: Date().addingTimeInterval(delay.seconds), error: reason)
                }
                return Outcome(result: ServiceResult(.offline, fields: ["reference": delivery.reference]), reachable: false)
            }
        } catch {
            logger.error("outbox \(id) could not be updated after the fast path: \(error)")
            return Outcome(result: answer.result(reference: delivery.reference), reachable: Self.reachable(answer))
        }
    }

    /// The outbox entry the payment journal made for a paid request when the terminal approved it.
    func paidEntry(_ request: ServiceRequest) async throws -> (Int64, Delivery)? {
        guard let payment = request.payment else { return nil }
        return try await outbox.entry(reference: payment.reference)
    }

    /// Sends, but gives up waiting after `fastPath`; the request may still arrive, which its idempotency key makes harmless.
    func send(_ request: ServiceRequest, _ delivery: Delivery) async -> CentralAnswer {
        let central = central
        let fastPath = fastPath
        return await withTaskGroup(of: CentralAnswer?.self) { group in
            group.addTask { await central.send(request, delivery: delivery) }
            group.addTask {
                try? await Task.sleep(for: fastPath)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .unavailable("no answer within \(fastPath)", retryAfter: nil)
        }
    }

    static func reachable(_ answer: CentralAnswer) -> Bool {
        if case .unavailable = answer { return false }
        return true
    }

    static func summary(_ answer: CentralAnswer) -> String {
        switch answer {
        case .answered(let result, _): result.outcome.rawValue
        case .refused(let why): "refused (\(why))"
        case .unavailable(let why, _): "unavailable (\(why))"
        }
    }
}

/// The reference a resident gets for every request: short, unambiguous (no 0, 1, I, O), made on the kiosk so that it exists
/// before the central has seen the request. 32^8 values; the central refuses a reference it already holds.
enum KioskReference {
    static func make() -> String {
        let alphabet = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")
        return "TLB-" + String((0..<8).map { _ in alphabet.randomElement()! })
    }
}
