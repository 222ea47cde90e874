import BenchSupport
import Foundation
import KioskTesting
import Pinpad

#if canImport(Glibc)
    import Glibc
#endif

/// kill -9 at random moments of paid requests: kioskd, kiosk-pinpad and kiosk-central as real processes; the terminal takes
/// `customerMillis` for the customer, and kioskd is killed uniformly in the second after "confirm", so that kills land
/// before, during and after the payment and the submit. Each run starts kioskd on the same state (journal, outbox), which
/// settles what the last one left. At the end: residents charged without a case, cases without a payment, double charges.
enum CrashTest {
    static func run(runs: Int) async throws {
        let central = try await CentralPeer.start()
        let devicePort = try Harness.freePort()
        let pinpad = try await PinpadPeer.start(devicePort: devicePort)
        try await pinpad.set(PinpadSettings(customerMillis: 300))
        let dir = try Harness.scratch()
        let profile = PinpadPeer.profile(id: "bench-pinpad", pinpad, devicePort: devicePort, probeSeconds: 30)
        var doubles = 0
        var before = 0
        var landed: [String: Int] = [:]
        var random = SystemRandomNumberGenerator()
        for run in 0..<runs {
            let kiosk = try await start(dir, central, profile)
            let charged = try await pinpad.state().transactions.count
            if run > 0, charged - before > 1 { doubles += 1 }
            before = charged
            try await kiosk.requestExtract(product: Bool.random(using: &random) ? "standard" : "international", submit: false)
            _ = try await kiosk.ctl("press", "next")
            try await Task.sleep(for: .milliseconds(Int.random(in: 0..<1000, using: &random)))
            let step = (try? await kiosk.step()) ?? "?"
            landed[step ?? "home", default: 0] += 1
            try await kiosk.crash()
        }
        // The last start settles the last run; then everything queued is delivered.
        let kiosk = try await start(dir, central, profile)
        try await Harness.eventually("the journal settled and the outbox empty", seconds: 120) {
            let status = try await kiosk.ctl("payment", "status", "--json").stdout
            let queue = try await kiosk.ctl("queue", "list", "--json").stdout
            return !status.contains("\"sent\"") && !status.contains("\"reversing\"") && !queue.contains("\"pending\"")
        }
        if try await pinpad.state().transactions.count - before > 1 { doubles += 1 }
        let books = try await pinpad.state()
        let listed = try await CentralHTTP(url: central.url, token: CentralPeer.adminToken).get("/admin/cases")
        let cases = try JSONDecoder().decode([CaseSummary].self, from: listed)
        let charged = Set(books.transactions.filter { !$0.reversed }.map(\.stan))
        let paidCases = Set(cases.compactMap { $0.payment?.transactionId })
        let chargedWithoutCase = charged.subtracting(paidCases).count
        let casesWithoutPayment = cases.filter { $0.payment.map { !charged.contains($0.transactionId) } ?? true }.count
        let journal = try await kiosk.ctl("payment", "status", "--json").stdout
        let counts = (try? JSONSerialization.jsonObject(with: Data(journal.utf8)) as? [String: Any])?["counts"] ?? [:]
        print(
            "crash test: kill -9 at a random moment in the second after confirm, \(runs) runs (customer 300 ms at the terminal)")
        print(
            "  where the kills landed (step): \(landed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))"
        )
        print(
            "  charges \(books.transactions.count), reversed \(books.transactions.filter(\.reversed).count), cases \(cases.count)"
        )
        print("  journal: \(counts)")
        print(
            "  charged without a case: \(chargedWithoutCase); cases without a payment: \(casesWithoutPayment); double charges: \(doubles)"
        )
        _ = try await kiosk.stop()
        PinpadPeer.kill9(pinpad)
    }

    static func start(_ dir: String, _ central: RunningCentral, _ profile: (name: String, text: String)) async throws
        -> RunningKiosk
    {
        let kiosk = try await RunningKiosk(
            reusing: dir, central: central, devices: ["sim-card-reader", "sim-printer", "sim-scanner", "bench-pinpad"],
            extraProfiles: [profile])
        try await Harness.eventually("the terminal online") {
            try await kiosk.ctl("payment", "status").stdout.contains(": online")
        }
        return kiosk
    }
}

/// What the crash test reads of kiosk-central's `GET /admin/cases` (its CaseSummary): the payment a case holds.
struct CaseSummary: Decodable {
    struct Payment: Decodable { var transactionId: String }
    var payment: Payment?
}
