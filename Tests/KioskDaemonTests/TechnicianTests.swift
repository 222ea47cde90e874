import Foundation
import KioskTesting
import Testing

/// The technician's side of faults through kioskctl against a running kioskd: health, devices, out of service, exit
/// statuses, logs, the diagnostic bundle and `/metrics`.
@Suite struct TechnicianTests {
    @Test func healthAndFaultsFollowTheDevicesWithSystemctlExitStatuses() async throws {
        let kiosk = try await RunningKiosk()
        let healthy = try await kiosk.ctl("health")
        #expect(healthy.status == 0, "\(healthy.stdout)")
        #expect(healthy.stdout.contains("ok    device sim-printer"))
        #expect(healthy.stdout.contains("ok    outbox backlog"))

        _ = try await kiosk.ctl("sim", "printer", "offline")
        let sick = try await kiosk.ctl("health")
        #expect(sick.status == 1)
        #expect(sick.stdout.contains("FAIL  device sim-printer"))
        let faults = try await kiosk.ctl("faults")
        #expect(faults.status == 1)
        #expect(faults.stdout.contains("sim-printer.offline"))
        #expect(faults.stdout.contains("Printer sim-printer: offline of onbereikbaar."))

        #expect(try await kiosk.ctl("faults", "ack", "999").status == 4, "no such fault: 4, like systemctl")
        #expect(try await kiosk.ctl("device", "nope", "out-of-service").status == 4)
        let gone = try await Harness.run(try Harness.binary("kioskctl"), ["faults", "--socket", kiosk.dir + "/none.sock"])
        #expect(gone.status == 3, "kioskd not running: 3, like systemctl")
        #expect(gone.stderr.hasPrefix("kioskctl: kioskd is not running at"))

        let logs = try await kiosk.ctl("logs")
        #expect(logs.stdout.contains("fault raised: sim-printer.offline"))
        #expect(try await kiosk.stop() == 0)
    }

    @Test func aDeviceOutOfServiceHidesItsFlowsAndRaisesNothing() async throws {
        let kiosk = try await RunningKiosk()
        let out = try await kiosk.ctl("device", "sim-printer", "out-of-service")
        #expect(out.stdout == "device sim-printer out of service\n")
        let status = try await kiosk.ctl("status")
        #expect(status.stdout.contains("OUT OF ORDER"), "both resident flows need the printer")
        #expect(status.stdout.contains("call-staff         offered"))
        _ = try await kiosk.ctl("sim", "printer", "paper-out")
        #expect(try await kiosk.ctl("faults").status == 0, "no alerts for a device out of service")
        let devices = try await kiosk.ctl("devices")
        #expect(devices.stdout.contains("sim-printer  printer, simulated: online, paper out  OUT OF SERVICE"))

        // Staff can still be called, while out of order.
        _ = try await kiosk.ctl("press", "call-staff")
        try await Harness.eventually("the call-staff flow") { try await kiosk.ctl("status").stdout.contains("call-staff /") }

        _ = try await kiosk.ctl("device", "sim-printer", "in-service")
        let back = try await kiosk.ctl("faults")
        #expect(back.status == 1)
        #expect(back.stdout.contains("sim-printer.paper-out"), "back in service, its present fault is raised")
        #expect(try await kiosk.stop() == 0)
    }

    @Test func logsFollowAndTheDiagnosticBundleHoldsNoPersonalData() async throws {
        let kiosk = try await RunningKiosk()
        let follow = try Harness.spawn(
            try Harness.binary("kioskctl"), ["logs", "-f", "--socket", kiosk.socket], stdout: kiosk.dir + "/follow.out",
            stderr: kiosk.dir + "/follow.err")
        defer { kill(follow, SIGTERM) }
        // A resident types a BSN; nothing of it may reach a log or the bundle.
        for action in ["start:extract-request", "next", "option:standard"] { _ = try await kiosk.ctl("press", action) }
        _ = try await kiosk.ctl("type", "123456782")
        _ = try await kiosk.ctl("sim", "printer", "jam")
        try await Harness.eventually("the followed log to show the jam") {
            let text = (try? String(contentsOfFile: kiosk.dir + "/follow.out", encoding: .utf8)) ?? ""
            return text.contains("fault raised: sim-printer.paper-jam")
        }
        let bundle = kiosk.dir + "/diag.tar.gz"
        let made = try await kiosk.ctl("diag", "bundle", bundle)
        #expect(made.status == 0, "\(made.stderr)")
        let list = try await Harness.run("/bin/tar", ["-tzf", bundle])
        for file in ["status.json", "faults.json", "usb.json", "outbox.json", "kioskd.log", "kioskd.yaml", "versions.txt"] {
            #expect(list.stdout.contains("kiosk-diag/\(file)"), "\(file) in the bundle")
        }
        let unpacked = kiosk.dir + "/unpacked"
        try FileManager.default.createDirectory(atPath: unpacked, withIntermediateDirectories: true)
        _ = try await Harness.run("/bin/tar", ["-xzf", bundle, "-C", unpacked])
        var everything = ""
        for file in try FileManager.default.contentsOfDirectory(atPath: unpacked + "/kiosk-diag") {
            everything += try String(contentsOfFile: unpacked + "/kiosk-diag/" + file, encoding: .utf8)
        }
        #expect(everything.contains("paper-jam"))
        #expect(!everything.contains("123456782"), "the BSN typed is nowhere in the bundle")
        #expect(try await kiosk.stop() == 0)
    }

    /// The trap from the last attack: another user plants links where the bundle used to stage its files
    /// (`$TMPDIR/kiosk-diag-PID`, for the pids to come) and at the path a technician writes the bundle to. A root
    /// technician's bundle writes nothing through them, and leaves nothing behind, on success or failure.
    @Test func theDiagnosticBundleFollowsNoPlantedLinkAndLeavesNothingBehind() async throws {
        let kiosk = try await RunningKiosk()
        let tmp = kiosk.dir + "/tmp"
        let victim = kiosk.dir + "/victim"
        for folder in [tmp, victim] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let last =
            Int(
                (try String(contentsOfFile: "/proc/sys/kernel/ns_last_pid", encoding: .utf8)).trimmingCharacters(
                    in: .whitespacesAndNewlines)) ?? 0
        for pid in last + 1...last + 400 {
            try FileManager.default.createSymbolicLink(atPath: "\(tmp)/kiosk-diag-\(pid)", withDestinationPath: victim)
        }
        let planted = kiosk.dir + "/planted.tar.gz"
        try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: victim + "/owned")
        func bundle(_ target: String, socket: String? = nil) async throws -> Harness.Output {
            try await Harness.run(
                try Harness.binary("kioskctl"), ["diag", "bundle", target, "--socket", socket ?? kiosk.socket],
                environment: ["TMPDIR": tmp])
        }
        func staged() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: tmp).filter { !$0.hasPrefix("kiosk-diag-") }
        }

        let refused = try await bundle(planted)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("planted.tar.gz: already exists (a file or a link)"), "\(refused.stderr)")
        let made = try await bundle(kiosk.dir + "/fresh.tar.gz")
        #expect(made.status == 0, "\(made.stderr)")
        #expect(
            try await Harness.run("/bin/tar", ["-tzf", kiosk.dir + "/fresh.tar.gz"]).stdout.contains("kiosk-diag/status.json"))
        let attributes = try FileManager.default.attributesOfItem(atPath: kiosk.dir + "/fresh.tar.gz")
        #expect((attributes[.posixPermissions] as? Int) == 0o600, "the bundle is the technician's alone")
        let gone = try await bundle(kiosk.dir + "/never.tar.gz", socket: kiosk.dir + "/none.sock")
        #expect(gone.status == 3)
        #expect(!FileManager.default.fileExists(atPath: kiosk.dir + "/never.tar.gz"))

        #expect(try FileManager.default.contentsOfDirectory(atPath: victim).isEmpty, "nothing written through a planted link")
        let left = try staged()
        #expect(left.isEmpty, "no staging folder left behind: \(left)")
        #expect(try await kiosk.stop() == 0)
    }

    @Test func prometheusScrapesStatusFaultsAndFlowsButNoPersonalData() async throws {
        let port = try Harness.freePort()
        let kiosk = try await RunningKiosk(
            extraConfig: "metrics:\n  listen: 127.0.0.1:\(port)\nalerts:\n  clearSeconds: 0\n  checks:\n    minFreeMegabytes: 0")
        func scrape() throws -> String { try Harness.tcpHTTP(port: port, "GET /metrics HTTP/1.0\r\n\r\n") }
        try await Harness.eventually("the metrics endpoint") { (try? scrape())?.contains(" 200 ") ?? false }
        #expect(try scrape().contains(#"kiosk_device_up{device="sim-printer"} 1.0"#))
        #expect(try scrape().contains("kiosk_outbox_depth 0.0"))

        for action in ["start:extract-request", "next", "option:standard"] { _ = try await kiosk.ctl("press", action) }
        _ = try await kiosk.ctl("type", "123456782")
        _ = try await kiosk.ctl("press", "stop")
        _ = try await kiosk.ctl("press", "call-staff")
        try await Harness.eventually("the staff call's commit") {
            try scrape().contains("kiosk_outbox_enqueue_seconds_count 1")
        }
        _ = try await kiosk.ctl("sim", "printer", "paper-out")
        let text = try scrape()
        #expect(text.contains(#"kiosk_device_up{device="sim-printer"} 0.0"#))
        #expect(text.contains(#"kiosk_faults_open{severity="warning"} 1.0"#))
        #expect(text.contains(#"kiosk_flow_starts_total{flow="extract-request"} 1"#))
        #expect(text.contains(#"kiosk_flow_abandons_total{flow="extract-request",step="#))
        #expect(!text.contains("123456782"))
        #expect(try await kiosk.stop() == 0)
    }

    @Test func faultsSurviveAKillWithoutBeingToldTwice() async throws {
        let hook = try await WebhookReceiver()
        defer { hook.stop() }
        let config = """
            alerts:
              clearSeconds: 0
              checks:
                minFreeMegabytes: 0
              sinks:
                - name: desk
                  kind: webhook
                  url: \(hook.url.absoluteString)
            """
        // Delivery is at least once: a kill between the POST and its commit sends it again after the restart, with the same
        // fault id, which is what a receiver dedupes on. So: the distinct notifications, in the order they first came.
        func seen() -> [String] {
            var distinct: [String] = []
            for alert in hook.received.flatMap({ ($0.json["alerts"] as? [[String: Any]]) ?? [] }) {
                let line = "\(alert["status"] as? String ?? "?") \(alert["code"] as? String ?? "?") #\(alert["id"] as? Int ?? 0)"
                if !distinct.contains(line) { distinct.append(line) }
            }
            return distinct.map { String($0.split(separator: " #").first ?? "") }
        }
        let first = try await RunningKiosk(extraConfig: config)
        _ = try await first.ctl("sim", "printer", "offline")
        try await Harness.eventually("the firing notification") { seen() == ["firing offline"] }
        try await first.crash()

        // The simulated printer comes back well: the stored fault is resolved, once, and never raised again.
        let second = try await RunningKiosk(reusing: first.dir, extraConfig: config)
        try await Harness.eventually("the resolve after the restart") { seen() == ["firing offline", "resolved offline"] }
        let history = try await second.ctl("faults", "list", "--all", "--json")
        let records = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(records.map { $0["state"] as? String } == ["resolved"], "one fault, the same one, resolved")
        #expect(try await second.ctl("faults").status == 0)
        // Nothing more of it: a later fault's notification comes next (the sink delivers in the order raised).
        _ = try await second.ctl("sim", "printer", "paper-out")
        try await Harness.eventually("the later fault's notification") { seen().count >= 3 }
        #expect(seen() == ["firing offline", "resolved offline", "firing paper-out"])
        #expect(try await second.stop() == 0)
    }
}
