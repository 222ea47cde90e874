// kiosk-bench: the outbox's cost, each figure as a ratio against a baseline measured in the same run on the same machine.
//
//   1. Durable enqueue latency (p50, p99) against a raw GRDB INSERT + COMMIT with the same pragmas (WAL, synchronous=FULL).
//   2. Drain throughput of 10,000 queued extract requests to kiosk-central over loopback, against plain HTTP round trips
//      (GET /v1/catalog) to the same server on the same HTTP client (AsyncHTTPClient).
//
// Run with `make bench`; record the figures in Benchmarks/README.md.
import BenchSupport
import Central
import Foundation
import GRDB
import KioskCore
import KioskTesting
import Logging
import Outbox

let identity = Identity(
    mrz: try MRZ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"))
let request = ServiceRequest.extractRequest(
    ExtractRequest(product: "standard", feeCents: 1440, bsn: "123456782", identity: identity, language: .nl))
// BENCH_DIR puts the files on the disk under test; /tmp may be memory, where fsync costs nothing.
let dir = (ProcessInfo.processInfo.environment["BENCH_DIR"] ?? NSTemporaryDirectory()) + "/kiosk-bench-" + UUID().uuidString
try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: dir) }

// MARK: - 1. Enqueue latency

let enqueues = Int(ProcessInfo.processInfo.environment["BENCH_ENQUEUES"] ?? "") ?? 2000
var configuration = Configuration()
configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
let raw = try DatabasePool(path: dir + "/raw.sqlite", configuration: configuration)
try await raw.write { db in
    try db.execute(sql: "CREATE TABLE entry (id INTEGER PRIMARY KEY, kind TEXT, reference TEXT, key TEXT UNIQUE, sealed BLOB)")
}
let blob = Data(repeating: 0xA5, count: 420)  // about the size of a sealed extract request
var rawSamples: [Double] = []
for n in 0..<enqueues {
    let start = ContinuousClock.now
    try await raw.write { db in
        try db.execute(
            sql: "INSERT INTO entry (kind, reference, key, sealed) VALUES (?, ?, ?, ?)",
            arguments: ["extractRequest", "TLB-\(n)", "raw-\(n)", blob])
    }
    rawSamples.append(milliseconds(start))
}
let outbox = try Outbox(path: dir + "/outbox.sqlite", keyPath: dir + "/outbox.key")
var samples: [Double] = []
for n in 0..<enqueues {
    let start = ContinuousClock.now
    try await outbox.enqueue(
        request, delivery: Delivery(reference: "TLB-\(n)", idempotencyKey: "bench-\(n)-\(UUID().uuidString)"))
    samples.append(milliseconds(start))
}
print("enqueue (\(enqueues) durable commits)")
for p in [0.5, 0.99] {
    let ours = percentile(samples, p)
    let base = percentile(rawSamples, p)
    print(
        String(format: "  p%-2.0f outbox %.3f ms   raw GRDB insert+commit %.3f ms   ratio %.2f", p * 100, ours, base, ours / base)
    )
}

// MARK: - 2. Drain throughput

let total = Int(ProcessInfo.processInfo.environment["BENCH_DRAIN"] ?? "") ?? 10_000
let central = try await CentralPeer.start()
defer { kill(central.pid, SIGTERM) }
let http = try HTTPCentral(url: central.url, kioskID: "bench", token: CentralPeer.kioskToken, timeout: .seconds(10))
let queue = try Outbox(path: dir + "/drain.sqlite", keyPath: dir + "/drain.key")
for n in 0..<total {
    try await queue.enqueue(request, delivery: Delivery(reference: "B-\(n)", idempotencyKey: "drain-\(n)-\(UUID().uuidString)"))
}
let client = CentralHTTP(url: central.url, token: CentralPeer.kioskToken)
let baselineCount = min(total, 2000)
var start = ContinuousClock.now
for _ in 0..<baselineCount { _ = try await client.get("/v1/catalog") }
let baselineRate = Double(baselineCount) / (milliseconds(start) / 1000)

let drainer = Drainer(outbox: queue, central: http, logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() })
start = ContinuousClock.now
while try await queue.backlog() > 0 { await drainer.drainOnce() }
let seconds = milliseconds(start) / 1000
let listed = try await CentralHTTP(url: central.url, token: CentralPeer.adminToken).get("/admin/cases")
let cases = (try JSONSerialization.jsonObject(with: listed) as? [Any])?.count ?? 0
print("drain (\(total) extract requests to kiosk-central over loopback, \(cases) cases made)")
print(
    String(
        format: "  outbox drain %.0f entries/s (%.1f s)   plain GET round trips %.0f/s   ratio %.2f",
        Double(total) / seconds, seconds, baselineRate, (Double(total) / seconds) / baselineRate))
