public import Central
public import Foundation
public import KioskCore
public import Logging
public import ServiceLifecycle

/// Delivers the outbox: the oldest pending entry of each kind, again and again, until the central has answered each once.
///
/// A 2xx answer marks the entry delivered; a refusal (409, 422) makes it a dead letter for staff; anything else is retried
/// after ``RetryPolicy``'s delay. The state lives in the outbox file, so a restart picks up where the last run stopped.
public actor Drainer: Service {
    /// What happened to an entry, for the daemon's log, banner and faults.
    public enum Event: Sendable {
        case delivered(Outbox.Entry, ServiceResult)
        case dead(Outbox.Entry, String)
        case retrying(Outbox.Entry, String, after: Duration)
    }

    let outbox: Outbox
    let central: any CentralService
    let policy: RetryPolicy
    let logger: Logger
    let onEvent: @Sendable (Event) -> Void
    /// Longest sleep between looks at the outbox, so that an entry enqueued meanwhile waits at most this long.
    let idle: Duration

    public init(
        outbox: Outbox, central: any CentralService, policy: RetryPolicy = RetryPolicy(), idle: Duration = .milliseconds(500),
        logger: Logger, onEvent: @escaping @Sendable (Event) -> Void = { _ in }
    ) {
        self.outbox = outbox
        self.central = central
        self.policy = policy
        self.idle = idle
        self.logger = logger
        self.onEvent = onEvent
        outbox.onEnqueue { [weak self] in Task { await self?.wakeUp() } }
    }

    /// The drainer's sleep, cut short by an enqueue; `nudged` keeps an enqueue that came while it was busy.
    private var wake: CheckedContinuation<Void, Never>?
    private var nudged = false

    private func wakeUp() {
        guard let wake else {
            nudged = true
            return
        }
        wake.resume()
        self.wake = nil
    }

    /// Queues with a delivery under way: a sink that hangs keeps only its own queue waiting.
    private var inFlight: Set<String> = []

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let sent = await self.drainOnce(wait: false)
                if sent == 0 {
                    // A lull: delivered requests leave the WAL too.
                    await self.outbox.scrub()
                    await self.sleepUntilDue()
                }
            }
        }
    }

    /// Sends every entry that is due now, one per queue and all queues at once; returns how many it started. With `wait`
    /// it returns once they are answered (tests, benchmarks); the run loop does not wait, so one slow sink never holds up
    /// the others.
    @discardableResult
    public func drainOnce(now: Date = Date(), wait: Bool = true) async -> Int {
        let due: [Outbox.Entry]
        do {
            due = try await outbox.due(at: now).filter { !inFlight.contains($0.queue) }
        } catch {
            logger.error("outbox unreadable: \(Outbox.describe(error))")
            return 0
        }
        for entry in due { inFlight.insert(entry.queue) }
        if wait {
            await withTaskGroup(of: Void.self) { group in
                for entry in due { group.addTask { await self.deliver(entry) } }
            }
            for entry in due { inFlight.remove(entry.queue) }
        } else {
            for entry in due {
                Task {
                    await self.deliver(entry)
                    await self.landed(entry.queue)
                }
            }
        }
        return due.count
    }

    private func landed(_ queue: String) { inFlight.remove(queue) }

    nonisolated func deliver(_ entry: Outbox.Entry) async {
        let answer = await central.send(entry.request, delivery: entry.delivery)
        do {
            switch answer {
            case .answered(let result, _):
                try await outbox.markDelivered(entry.id)
                logger.info("outbox \(entry.id) \(entry.queue) delivered")
                onEvent(.delivered(entry, result))
            case .refused(let reason):
                try await outbox.markDead(entry.id, reason: reason)
                logger.error("outbox \(entry.id) \(entry.queue) refused for good: \(reason)")
                onEvent(.dead(entry, reason))
            case .unavailable(let reason, let retryAfter):
                let delay = policy.delay(failures: entry.attempts + 1, retryAfter: retryAfter, jitter: Double.random(in: 0..<1))
                try await outbox.markFailed(entry.id, retryAt: Date().addingTimeInterval(delay.seconds), error: reason)
                logger.notice("outbox \(entry.id) \(entry.queue) not delivered (\(reason)); again in \(delay)")
                onEvent(.retrying(entry, reason, after: delay))
            }
        } catch {
            logger.error("outbox \(entry.id) could not be updated: \(Outbox.describe(error))")
        }
    }

    func sleepUntilDue() async {
        let next = (try? await outbox.nextDue()) ?? nil
        var wait = idle
        // While a delivery is under way its entry stays due: look again soon, not at once.
        if let next, inFlight.isEmpty {
            let until = Duration.seconds(max(0, next.timeIntervalSinceNow))
            wait = min(max(until, .milliseconds(10)), idle)
        }
        if nudged {
            nudged = false
            return
        }
        let timer = Task { [weak self, wait] in
            try? await Task.sleep(for: wait)
            if !Task.isCancelled { await self?.wakeUp() }
        }
        await withCheckedContinuation { wake = $0 }
        timer.cancel()
        nudged = false
    }
}
