import AsyncHTTPClient
// kiosk-bench-alerts: how soon staff hear of a fault.
//
//   From a device fault in kioskd (the simulated printer's paper running out, through the control socket) to the webhook:
//   1. straight from kioskd's webhook sink (kioskd's own share: status event, fault book, store, outbox commit, drainer,
//      HTTP POST);
//   2. through a real Alertmanager (group_wait 0s) to its webhook receiver.
//   Baseline in the same run: one HTTP POST of the same JSON to the same receiver.
//
// Run with `make bench`; record the figures in Benchmarks/README.md.
import BenchSupport
import Foundation
import KioskControl
import KioskTesting
import NIOCore
import NIOHTTP1

func report(_ name: String, _ samples: [Double], baseline: Double) {
    let p50 = percentile(samples, 0.5)
    print(
        String(
            format: "%@: p50 %.2f ms, p95 %.2f ms, max %.2f ms (ratio to one POST: %.1f)", name, p50, percentile(samples, 0.95),
            samples.max() ?? 0, p50 / baseline))
}

let rounds = Int(ProcessInfo.processInfo.environment["BENCH_ROUNDS"] ?? "") ?? 30
let hook = try await WebhookReceiver()

// Baseline: one POST of an alert-sized JSON document to the receiver.
var posts: [Double] = []
let body = Data(repeating: UInt8(ascii: " "), count: 600)
for _ in 0..<(rounds * 3) {
    var request = HTTPClientRequest(url: hook.url.absoluteString)
    request.method = .POST
    request.body = .bytes(ByteBuffer(bytes: body))
    let begin = ContinuousClock.now
    _ = try await HTTPClient.shared.execute(request, timeout: .seconds(5)).body.collect(upTo: 1024)
    posts.append(milliseconds(ContinuousClock.now - begin))
}
let baseline = percentile(posts, 0.5)
print(String(format: "baseline, one HTTP POST to the receiver: p50 %.3f ms, p95 %.3f ms", baseline, percentile(posts, 0.95)))

/// Paper out, then in again, `rounds` times; the time from the control request to the firing notification at the hook.
///
/// With `freshKiosk`, every round is a kioskd of its own (its own `kiosk` label), so that each alert is new to Alertmanager
/// and takes the group_wait path; the same alert again within minutes would wait for its old group's next flush instead.
func faultToHook(
    sink: String, url: URL, freshKiosk: Bool, firing: @escaping @Sendable (WebhookReceiver.Received) -> Bool
) async throws -> [Double] {
    let config = """
        alerts:
          clearSeconds: 0
          # Each round is a paper-out and a refill: without this, the fourth would count as a flapping sensor, whose
          # resolve is held back for the flap window.
          flapLimit: 100
          checks:
            minFreeMegabytes: 0
          sinks:
            - name: staff
              kind: \(sink)
              url: \(url.absoluteString)
        """
    var kiosk: RunningKiosk?
    var samples: [Double] = []
    for round in 0..<rounds {
        if kiosk == nil { kiosk = try await RunningKiosk(extraConfig: config, kioskID: "bench-\(sink)-\(round)") }
        let control = ControlClient(socketPath: kiosk!.socket)
        let before = hook.received.filter(firing).count
        let begin = Date()
        _ = try await control.send("/v1/sim/printer", SimPrinterRequest(condition: "paper-out"))
        try await Harness.eventually("the firing notification", seconds: 10) { hook.received.filter(firing).count > before }
        let arrived = hook.received.filter(firing).last!.at
        samples.append(arrived.timeIntervalSince(begin) * 1000)
        if freshKiosk {
            _ = try await kiosk!.stop()
            kiosk = nil
            continue
        }
        let resolvedBefore = hook.received.count
        _ = try await control.send("/v1/sim/printer", SimPrinterRequest(condition: "ok"))
        try await Harness.eventually("the resolved notification (\(sink))", seconds: 10) {
            hook.received.count > resolvedBefore
        }
    }
    _ = try await kiosk?.stop()
    return samples
}

let direct = try await faultToHook(sink: "webhook", url: hook.url, freshKiosk: false) { received in
    ((received.json["alerts"] as? [[String: Any]])?.first?["status"] as? String) == "firing"
}
report("fault to kioskd's own webhook sink", direct, baseline: baseline)

let alertmanager = try await AlertmanagerPeer.start(webhook: hook.url)
let through = try await faultToHook(sink: "alertmanager", url: alertmanager.url, freshKiosk: true) { received in
    ((received.json["alerts"] as? [[String: Any]])?.first?["status"] as? String) == "firing"
        && (received.json["receiver"] as? String) == "hook"
}
report("fault to the webhook through Alertmanager (group_wait 0s)", through, baseline: baseline)
try await alertmanager.stop()
hook.stop()
