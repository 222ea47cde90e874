// kiosk-bench-print: how long a resident waits for paper, and how long staff wait to hear the paper ran out.
//
//   1. From the print effect (CUPSPrinter.print of a receipt) to the printer's confirmed final state (the job sent to
//      ippeveprinter itself and followed there; the queue checked at the private cupsd first), against drawing the same
//      receipt to PDF alone (the kiosk's own part) in the same run.
//   2. From the paper running out on an idle printer to the driver's status saying so, against the poll interval.
//   3. From a jam during a job (the print command reports media-jam as it starts) to the print's result, which is what
//      changes the resident's screen, against the one-second look at the printer during a job.
//
// Run with `make bench`; record the figures in Benchmarks/README.md.
import BenchSupport
import Foundation
import KioskCore
import KioskDevices
import KioskDrawing
import KioskTesting
import Logging
import Printing

let rounds = Int(ProcessInfo.processInfo.environment["BENCH_PRINTS"] ?? "") ?? 20
let running = try await CUPSPeer.shared.value
let logger: Logger = {
    var logger = Logger(label: "bench")
    logger.logLevel = .error
    return logger
}()

@MainActor func printer(pollMillis: Int) throws -> CUPSPrinter {
    let yaml =
        "id: bench\nclass: printer\ndriver: cups\noptions:\n  queue: \(CUPSPeer.queue)\n  server: \"\(running.server)\"\n"
        + "  pollMillis: \"\(pollMillis)\"\n"
    guard let profile = DeviceProfile.load([("b.yaml", yaml)]).profiles.first else { fatalError("profile") }
    return CUPSPrinter(profile: profile, kioskID: "bench", location: "bench", logger: logger)
}

let job = PrintJob(
    document: .receipt, title: "Ontvangstbewijs", lines: ["Referentie: TLB-ABCD2345", "Product: Standaard uittreksel"],
    code: "TLB-ABCD2345")
var drawing: [Double] = []
for _ in 0..<rounds {
    let start = ContinuousClock.now
    _ = try TicketDocument(job: job, kioskID: "bench", location: "bench", printedAt: Date()).pdf()
    drawing.append(milliseconds(ContinuousClock.now - start))
}
let cups = try printer(pollMillis: 2000)
var printing: [Double] = []
for _ in 0..<rounds {
    let start = ContinuousClock.now
    guard await cups.print(job, document: nil) == .printed else { fatalError("a benchmark job failed") }
    printing.append(milliseconds(ContinuousClock.now - start))
}
print("receipt: print effect to the printer's confirmed final state, \(rounds) jobs, ippeveprinter on loopback")
print(String(format: "  print p50 %7.1f ms  p99 %7.1f ms", percentile(printing, 0.5), percentile(printing, 0.99)))
print(
    String(
        format: "  drawing the PDF alone p50 %.2f ms -> %.0fx", percentile(drawing, 0.5),
        percentile(printing, 0.5) / percentile(drawing, 0.5)))

for poll in [300, 2000] {
    let watched = try printer(pollMillis: poll)
    var detections: [Double] = []
    for _ in 0..<3 {
        try await CUPSPeer.setPaper(level: 250)
        while await watched.status().paper != .full { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(Double(poll) * Double.random(in: 0..<1)))
        let start = ContinuousClock.now
        try await CUPSPeer.setPaper(level: 0)
        while await watched.status().paper != .out { try await Task.sleep(for: .milliseconds(10)) }
        detections.append(milliseconds(ContinuousClock.now - start))
    }
    try await CUPSPeer.setPaper(level: 250)
    let p50 = percentile(detections, 0.5)
    print(
        String(
            format: "paper out to status, poll %4d ms: p50 %6.0f ms, max %6.0f ms -> %.1f poll intervals", poll, p50,
            detections.max() ?? 0, p50 / Double(poll)))
}
// 3. A jam during the job, to the result the resident's screen shows.
let jammed = try printer(pollMillis: 2000)
var faults: [Double] = []
for _ in 0..<5 {
    let start = ContinuousClock.now
    let result = await jammed.print(PrintJob(document: .receipt, title: CUPSPeer.jamTitle, lines: ["jam"]), document: nil)
    guard result == .failed else { fatalError("a jammed job ended \(result)") }
    faults.append(milliseconds(ContinuousClock.now - start))
    // ippeveprinter keeps reporting the jam until it is switched off and on, as staff would clear a real one.
    try await CUPSPeer.restartPrinter(downFor: .milliseconds(100))
    repeat {
        try await Task.sleep(for: .milliseconds(50))
        await jammed.poll()
    } while await jammed.status() != DeviceStatus(state: .online, paper: .full)
}
print(
    String(
        format: "jam during a job to the resident's screen: p50 %6.0f ms, max %6.0f ms -> %.1f looks (1000 ms each)",
        percentile(faults, 0.5), faults.max() ?? 0, percentile(faults, 0.5) / 1000))
exit(0)
