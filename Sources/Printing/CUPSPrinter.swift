import CCups
public import Foundation
public import KioskCore
public import KioskDevices
import KioskDrawing
public import Logging
import Synchronization

/// A printer behind CUPS: tickets and receipts are drawn to PDF (``TicketDocument``), extracts from the central are sent as
/// they are, and each job is followed through `job-state` to its end. A job CUPS calls completed while the printer itself
/// reports a jam or a hardware error counts as failed: CUPS' ipp backend can take a job the printer aborted for completed.
///
/// Its health is polled every `pollMillis` (default 2000): the printer itself for its state and reasons, the queue for
/// stopped or refusing, with ``Hysteresis`` so a flapping state changes the status once.
///
/// Profile options: `queue` (the CUPS queue, required), `server` (`host:port` or a socket; default libcups' own),
/// `jobTimeoutSeconds` (default 60: a job not completed by then is cancelled and reported failed), `pollMillis`.
public final class CUPSPrinter: Printer {
    public let profile: DeviceProfile
    public let events: AsyncStream<DeviceEvent>
    let continuation: AsyncStream<DeviceEvent>.Continuation
    let queue: String
    let cups: CUPSThread
    let jobTimeout: Duration
    let kiosk: (id: String, location: String)
    let logger: Logger
    private let current = Mutex(DeviceStatus(state: .online, paper: .full))
    private let tally = Mutex<[String: Int]>(["jobsPrinted": 0, "jobsFailed": 0, "documentBytes": 0, "paperOuts": 0])
    /// The last job's failure, one line, until a job succeeds.
    private let problem = Mutex<String?>(nil)
    private let health = Mutex<(filter: Hysteresis, reading: PrinterReading?)>(
        (Hysteresis(initial: DeviceStatus(state: .online, paper: .full)), nil))
    let pollInterval: Duration
    private let records = Mutex<[PrintRecord]>([])

    public var recentJobs: [PrintRecord] { records.withLock { $0 } }

    public init(profile: DeviceProfile, kioskID: String, location: String, logger: Logger) {
        self.profile = profile
        self.logger = logger
        queue = profile.options["queue"] ?? profile.id
        cups = CUPSThread(server: profile.options["server"])
        jobTimeout = .seconds(profile.option("jobTimeoutSeconds", default: 60))
        kiosk = (kioskID, location)
        (events, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(64))
        pollInterval = .milliseconds(max(100, profile.option("pollMillis", default: 2000)))
        // Holds the printer only while it polls, so a printer nobody uses any more is freed and its polling ends.
        Task { [weak self] in
            while let interval = await self?.poll() {
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One health look; returns how long to wait for the next. The first reading is taken as it is; later ones go through
    /// the hysteresis.
    @discardableResult
    func poll() async -> Duration {
        let queue = queue
        let reading = await cups.run { CUPSQueue.read(queue: queue) }
        let changed = health.withLock { health -> DeviceStatus? in
            defer { health.reading = reading }
            if health.reading == nil {
                health.filter = Hysteresis(initial: reading.status)
                return reading.status
            }
            return health.filter.observe(reading.status)
        }
        guard let changed else { return pollInterval }
        let before = current.withLock { status in
            defer { status = changed }
            return status
        }
        guard changed != before else { return pollInterval }
        if changed.paper == .out { tally.withLock { $0["paperOuts", default: 0] += 1 } }
        logger.info("printer \(profile.id): \(changed.summary) (\(reading.summary))")
        continuation.yield(.status(changed))
        return pollInterval
    }

    public func status() async -> DeviceStatus { current.withLock { $0 } }

    public var capabilities: [String: String] {
        var capabilities = [
            "queue": queue, "documents": "PDF: extract as sent, tickets and receipts on 80 mm",
            "server": profile.options["server"] ?? "default",
        ]
        if let problem = problem.withLock({ $0 }) { capabilities["problem"] = problem }
        if let reading = health.withLock({ $0.reading }) {
            capabilities["reasons"] = reading.summary
            capabilities["device"] = reading.deviceURI ?? "unknown"
            if !reading.supplies.isEmpty { capabilities["supplies"] = reading.suppliesSummary }
        }
        return capabilities
    }

    public var counters: [String: Int] { tally.withLock { $0 } }

    public func print(_ job: PrintJob, document: Data?) async -> PrintResult {
        let start = ContinuousClock.now
        let result = await submit(job, document: document)
        let record = PrintRecord(job, result, since: start, problem: problem.withLock { $0 })
        records.withLock { $0 = Array(([record] + $0).prefix(10)) }
        return result
    }

    private func submit(_ job: PrintJob, document: Data?) async -> PrintResult {
        let pdf: Data
        do {
            pdf = try document ?? TicketDocument(job: job, kioskID: kiosk.id, location: kiosk.location, printedAt: Date()).pdf()
        } catch {
            logger.error("printer \(profile.id): the \(job.document.rawValue) could not be drawn: \(error)")
            problem.withLock { $0 = "the \(job.document.rawValue) could not be drawn" }
            return count(.failed, bytes: 0)
        }
        let (queue, title) = (queue, job.title)
        let submitted = await cups.run { CUPSQueue.submit(queue: queue, title: title, pdf: pdf) }
        let id: Int32
        switch submitted {
        case .success(let job): id = job
        case .failure(let failure):
            logger.error("printer \(profile.id): \(failure)")
            problem.withLock { $0 = failure.description }
            return count(.failed, bytes: 0)
        }
        let deadline = ContinuousClock.now + jobTimeout
        while ContinuousClock.now < deadline {
            switch await cups.run({ CUPSQueue.state(queue: queue, job: id) }) {
            case .success((IPP_JSTATE_STOPPED, let message)):
                // Stopped: a filter failed, or the printer stopped the queue. Either way not for this resident: cancel it,
                // so that it cannot come out later and be taken for somebody else's.
                await cups.run { CUPSQueue.cancel(queue: queue, job: id) }
                let why = "job \(id) stopped: \(message.map { String($0.prefix(160)) } ?? "no reason given"); cancelled"
                logger.error("printer \(profile.id): \(why)")
                problem.withLock { $0 = why }
                return count(.failed, bytes: 0)
            case .success((IPP_JSTATE_COMPLETED, _)):
                // CUPS' ipp backend follows the printer's job in two loops, and when the wrong one sees an aborted job
                // first, it reports it completed. A printer that is jammed or broken right now did not print it.
                let reading = await cups.run { CUPSQueue.read(queue: queue) }
                if reading.reachable, reading.status.state == .hardwareError {
                    let why = "job \(id): CUPS says completed, but the printer reports \(reading.summary); counted as failed"
                    logger.error("printer \(profile.id): \(why)")
                    problem.withLock { $0 = why }
                    return count(.failed, bytes: 0)
                }
                logger.info("printer \(profile.id): job \(id) completed")
                problem.withLock { $0 = nil }
                return count(.printed, bytes: document?.count ?? 0)
            case .success((IPP_JSTATE_CANCELED, _)), .success((IPP_JSTATE_ABORTED, _)):
                logger.error("printer \(profile.id): job \(id) was cancelled or aborted")
                problem.withLock { $0 = "job \(id) was aborted by the printer" }
                return count(.failed, bytes: 0)
            case .success: break
            case .failure(let failure):
                logger.warning("printer \(profile.id): job \(id): \(failure)")
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        // Not finished in time: cancel it, so that it cannot come out of the printer later and be taken for another's.
        await cups.run { CUPSQueue.cancel(queue: queue, job: id) }
        logger.error("printer \(profile.id): job \(id) did not finish within \(jobTimeout); cancelled")
        problem.withLock { $0 = "job \(id) did not finish within \(jobTimeout); cancelled" }
        return count(.failed, bytes: 0)
    }

    private func count(_ result: PrintResult, bytes: Int) -> PrintResult {
        tally.withLock {
            $0[result == .printed ? "jobsPrinted" : "jobsFailed", default: 0] += 1
            $0["documentBytes", default: 0] += bytes
        }
        return result
    }
}
