import Foundation
import KioskCore

extension CUPSPrinter {
    /// Sends the job to the printer itself and follows it there to its final state (see ``CUPSPrinter``).
    func printDirectly(_ job: PrintJob, pdf: Data, uri: String, bytes: Int) async -> PrintResult {
        // A name of its own, so that the printer's job list tells this job from any other; the title says no more than
        // "receipt" or "extract".
        let name = "\(job.title) \(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
        let id: Int32
        switch await cups.run({ PrinterIPP.create(uri, name: name) }) {
        case .failure(let failure): return fail(.failed, "not printed: \(failure)")
        // No document was sent, so even a job the printer made cannot print.
        case .success(.silent): return fail(.failed, "not printed: the printer did not answer Create-Job")
        case .success(.answered(let job)): id = job
        }
        let sent = await cups.run { PrinterIPP.send(uri, job: id, pdf: pdf) }
        return await follow(id, at: uri, sent: sent, bytes: bytes)
    }

    /// Asks the printer for the job every 250 ms, and for its own state every second, until the job's final state, the
    /// printer's silence, or the job's time is up.
    private func follow(_ id: Int32, at uri: String, sent: Bool, bytes: Int) async -> PrintResult {
        let start = ContinuousClock.now
        var cancelled: (why: String, at: ContinuousClock.Instant)?
        var silentSince: ContinuousClock.Instant?
        var lastLook = start
        while true {
            let now = ContinuousClock.now
            switch await cups.run({ PrinterIPP.account(uri, job: id) }) {
            case .answered(nil):
                return fail(.unknown, "the printer no longer knows job \(id): it restarted mid-job")
            case .answered(let account?):
                silentSince = nil
                if let outcome = account.outcome { return ended(id, account, outcome, cancelled: cancelled?.why, bytes: bytes) }
                if !sent, account.state <= 4, cancelled == nil {
                    cancelled = ("the document did not reach the printer", now)
                    await cups.run { PrinterIPP.cancel(uri, job: id) }
                }
            case .silent:
                let since = silentSince ?? now
                silentSince = since
                if now - since >= silenceLimit {
                    return fail(.unknown, "the printer stopped answering during job \(id) (\(uri)); outcome unknown")
                }
            }
            if let cancelled {
                // Short enough that the resident hears within 5 s of a jam; a printer that finishes the job anyway (as
                // ippeveprinter does while its command runs) has then perhaps printed it: unknown, never failed.
                if now - cancelled.at >= .milliseconds(2500) {
                    return fail(.unknown, "job \(id) was cancelled (\(cancelled.why)), but the printer never ended it")
                }
            } else if let why = await reasonToCancel(uri, since: start, lastLook: &lastLook) {
                cancelled = (why, now)
                await cups.run { PrinterIPP.cancel(uri, job: id) }
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
    }

    /// Why the job should be cancelled now: its time is up, or (looked at once a second) the printer reports a state in
    /// which it cannot finish it for this resident.
    private func reasonToCancel(_ uri: String, since start: ContinuousClock.Instant, lastLook: inout ContinuousClock.Instant)
        async -> String?
    {
        let now = ContinuousClock.now
        if now - start >= jobTimeout { return "it did not end within \(jobTimeout)" }
        guard now - lastLook >= .seconds(1) else { return nil }
        lastLook = now
        let reading = await cups.run {
            var reading = PrinterReading(reachable: false)
            CUPSQueue.readDevice(uri, into: &reading)
            return reading
        }
        // Silence is the job loop's to judge; a state the printer reports is this one's.
        guard reading.reachable, reading.status.isBlocking else { return nil }
        // Taken at once, past the hysteresis, so the fault that says why is the device's own, raised with the result.
        var seen = reading
        seen.queue = queue
        seen.deviceURI = uri
        adopt(seen)
        return "the printer reports \(reading.summary)"
    }

    private func ended(_ id: Int32, _ account: JobAccount, _ outcome: PrintResult, cancelled: String?, bytes: Int)
        -> PrintResult
    {
        switch outcome {
        case .printed: return succeed("job \(id) completed at the printer", bytes: bytes)
        case .failed:
            return fail(.failed, "job \(id) not printed: \(cancelled.map { "cancelled, \($0)" } ?? account.summary)")
        case .unknown:
            return fail(.unknown, "job \(id) ended \(account.summary)\(cancelled.map { " after it was cancelled, \($0)" } ?? "")")
        }
    }
}
