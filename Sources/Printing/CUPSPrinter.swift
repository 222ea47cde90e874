import CCups
public import Foundation
public import KioskCore
public import KioskDevices
import KioskDrawing
public import Logging
import Synchronization

/// A printer behind a CUPS queue. Tickets and receipts are drawn to PDF (``TicketDocument``); extracts from the central are
/// sent as they are.
///
/// **"Printed" is the printer's word, once.** CUPS keeps the queue (the device URI, and a technician's `cupsdisable` or
/// `cupsreject`, which are honoured), but when the queue's printer speaks IPP and takes PDF, the kiosk sends the job to the
/// printer itself and follows that job at the printer (``PrinterIPP``): CUPS' ipp backend has reported jobs completed that
/// the printer aborted, and a cupsd restarted mid-job sends its job again. The kiosk sends each job once and never again:
///
/// - a blocking state (queue stopped, disabled or missing, jam, cover open, no paper) seen before the job: not sent;
/// - the printer's final `job-state`: completed is printed; canceled or aborted before a sheet came out is not printed;
/// - a blocking state during the job: the job is cancelled at the printer, and its final state decides;
/// - the printer silent for `silenceSeconds` (default 3), forgetting the job (it restarted), or a cancel it never
///   confirms: unknown, never printed. The engine then raises a fault with the reference, and offers no retry.
///
/// A queue whose printer cannot be asked (USB, socket, no PDF) goes through CUPS, whose job state is then all there is.
///
/// Health is polled every `pollMillis` (default 2000): the printer itself for its state and reasons, the queue for stopped
/// or refusing, with ``Hysteresis`` so a flapping state changes the status once.
///
/// Profile options: `queue` (the CUPS queue, required), `server` (`host:port` or a socket; default libcups' own),
/// `jobTimeoutSeconds` (default 60: a job not ended by then is cancelled at the printer), `pollMillis`, `silenceSeconds`.
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
    private let tally = Mutex<[String: Int]>([
        "jobsPrinted": 0, "jobsFailed": 0, "jobsUnconfirmed": 0, "documentBytes": 0, "paperOuts": 0,
    ])
    /// The last job's failure, one line, until a job succeeds.
    private let problem = Mutex<String?>(nil)
    private let health = Mutex<(filter: Hysteresis, reading: PrinterReading?)>(
        (Hysteresis(initial: DeviceStatus(state: .online, paper: .full)), nil))
    let pollInterval: Duration
    /// How long the printer may stay silent during a job before its outcome is unknown.
    let silenceLimit: Duration
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
        silenceLimit = .seconds(profile.option("silenceSeconds", default: 3))
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
    public func poll() async -> Duration {
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
            "queue": queue, "documents": "PDF: extract as sent, tickets and receipts on the printer's roll (else 80 mm)",
            "server": profile.options["server"] ?? "default",
        ]
        if let problem = problem.withLock({ $0 }) { capabilities["problem"] = problem }
        if let reading = health.withLock({ $0.reading }) {
            capabilities["reasons"] = reading.summary
            capabilities["device"] = reading.deviceURI ?? "unknown"
            if !reading.supplies.isEmpty { capabilities["supplies"] = reading.suppliesSummary }
            if let roll = reading.roll { capabilities["roll"] = "\(roll.name) (\(Int(roll.widthMillimetres)) mm)" }
            if let dpi = reading.resolution { capabilities["resolution"] = "\(dpi) dpi" }
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
        // One fresh look before anything is sent: a job sent into a stopped queue or a jammed printer could come out when
        // the resident has gone, so it is not sent, and the resident hears so at once.
        let queue = queue
        let reading = await cups.run { CUPSQueue.read(queue: queue) }
        if reading.status.isBlocking {
            adopt(reading)
            return fail(.failed, "not sent: \(reading.status.detail ?? reading.summary)")
        }
        let pdf: Data
        do {
            // A ticket to the width of the roll the printer reports, its QR code on the printer's dot grid.
            pdf =
                try document
                ?? TicketDocument(
                    job: job, kioskID: kiosk.id, location: kiosk.location, printedAt: Date(),
                    widthMillimetres: reading.roll?.widthMillimetres ?? 80, dotsPerInch: reading.resolution
                ).pdf()
        } catch {
            return fail(.failed, "the \(job.document.rawValue) could not be drawn: \(error)")
        }
        if let uri = reading.deviceURI, reading.takesPDFDirectly {
            return await printDirectly(job, pdf: pdf, uri: uri, bytes: document?.count ?? 0)
        }
        return await printThroughCUPS(job, pdf: pdf, bytes: document?.count ?? 0)
    }

    /// A blocking state seen at a job's start is taken at once, past the hysteresis: it is what the resident was told.
    func adopt(_ reading: PrinterReading) {
        health.withLock {
            $0.reading = reading
            $0.filter = Hysteresis(initial: reading.status)
        }
        let before = current.withLock { status in
            defer { status = reading.status }
            return status
        }
        if before != reading.status { continuation.yield(.status(reading.status)) }
    }

    /// Ends a job: logs why (never its content), keeps the reason for `kioskctl printer`, counts it.
    func fail(_ result: PrintResult, _ why: String, bytes: Int = 0) -> PrintResult {
        logger.error("printer \(profile.id): \(why)")
        problem.withLock { $0 = why }
        return count(result, bytes: bytes)
    }

    func succeed(_ what: String, bytes: Int) -> PrintResult {
        logger.info("printer \(profile.id): \(what)")
        problem.withLock { $0 = nil }
        return count(.printed, bytes: bytes)
    }

    /// A queue whose printer cannot be sent a PDF and asked about it (USB, socket, or no PDF): CUPS' job state is all
    /// there is. A job CUPS calls completed while the printer reports a jam or a hardware error counts as failed.
    private func printThroughCUPS(_ job: PrintJob, pdf: Data, bytes: Int) async -> PrintResult {
        let (queue, title) = (queue, job.title)
        let submitted = await cups.run { CUPSQueue.submit(queue: queue, title: title, pdf: pdf) }
        let id: Int32
        switch submitted {
        case .success(let job): id = job
        case .failure(let failure): return fail(.failed, failure.description)
        }
        let deadline = ContinuousClock.now + jobTimeout
        while ContinuousClock.now < deadline {
            switch await cups.run({ CUPSQueue.state(queue: queue, job: id) }) {
            case .success((IPP_JSTATE_STOPPED, let message)):
                // Stopped: a filter failed, or the printer stopped the queue. Either way not for this resident: cancel it,
                // so that it cannot come out later and be taken for somebody else's.
                await cups.run { CUPSQueue.cancel(queue: queue, job: id) }
                return fail(
                    .failed, "CUPS job \(id) stopped: \(message.map { String($0.prefix(160)) } ?? "no reason given"); cancelled")
            case .success((IPP_JSTATE_COMPLETED, _)):
                let reading = await cups.run { CUPSQueue.read(queue: queue) }
                if reading.reachable, reading.status.state == .hardwareError {
                    return fail(.unknown, "CUPS job \(id): CUPS says completed, but the printer reports \(reading.summary)")
                }
                return succeed("CUPS job \(id) completed (the printer cannot be asked itself)", bytes: bytes)
            case .success((IPP_JSTATE_CANCELED, _)), .success((IPP_JSTATE_ABORTED, _)):
                return fail(.failed, "CUPS job \(id) was cancelled or aborted")
            case .success: break
            case .failure(let failure):
                logger.warning("printer \(profile.id): CUPS job \(id): \(failure)")
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        // Not finished in time: cancel it, so that it cannot come out of the printer later and be taken for another's.
        await cups.run { CUPSQueue.cancel(queue: queue, job: id) }
        return fail(.unknown, "CUPS job \(id) did not finish within \(jobTimeout); cancelled")
    }

    private func count(_ result: PrintResult, bytes: Int) -> PrintResult {
        tally.withLock {
            let counter =
                switch result {
                case .printed: "jobsPrinted"
                case .failed: "jobsFailed"
                case .unknown: "jobsUnconfirmed"
                }
            $0[counter, default: 0] += 1
            $0["documentBytes", default: 0] += bytes
        }
        return result
    }
}
