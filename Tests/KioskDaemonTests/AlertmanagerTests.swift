import Alerting
import Central
import Foundation
import KioskCore
import KioskTesting
import Testing

/// kioskd telling staff through a real Prometheus Alertmanager, whose webhook lands in the test: a fault fires, its fix
/// resolves, a repeat is one notification, an outage of Alertmanager loses nothing, and an unknown USB device is a security
/// alert. One Alertmanager per suite; each test's kiosk has its own id, and Alertmanager groups by kiosk.
@Suite(.serialized) struct AlertmanagerTests {
    static let shared = Task { () throws -> (AlertmanagerPeer, WebhookReceiver) in
        let hook = try await WebhookReceiver()
        return (try await AlertmanagerPeer.start(webhook: hook.url), hook)
    }

    /// `sink` adds lines to the Alertmanager sink (TLS files), `extra` to the config.
    static func alerts(url: URL, extra: String = "", sink: [String] = [], clearSeconds: Int = 1) -> String {
        """
        alerts:
          clearSeconds: \(clearSeconds)
          checkSeconds: 1
          checks:
            minFreeMegabytes: 0
          sinks:
            - name: staff
              kind: alertmanager
              url: \(url.absoluteString)
              refreshSeconds: 5
        \(sink.map { "      \($0)\n" }.joined())\(extra)
        """
    }

    /// The kiosk's own notifications, as (status, alertname).
    static func seen(_ hook: WebhookReceiver, kiosk: String) -> [String] {
        hook.notifications.filter { $0.labels["kiosk"] == kiosk }.map { "\($0.status) \($0.labels["alertname"] ?? "?")" }
    }

    static func kiosk(
        id: String, alertmanager: URL, extra: String = "", sink: [String] = [], devices: [String]? = nil,
        clearSeconds: Int = 1
    ) async throws -> RunningKiosk {
        let config = alerts(url: alertmanager, extra: extra, sink: sink, clearSeconds: clearSeconds) + "\n"
        // Each test's kiosk has its own id, so its notifications are its own.
        return try await RunningKiosk(
            centralSettings: ["retryCapSeconds: 1"],
            devices: devices ?? ["sim-card-reader", "sim-printer", "sim-scanner", "sim-payment-terminal"],
            extraConfig: config, kioskID: id)
    }

    /// Paper out on the kiosk's printer, and the firing notification it gives.
    static func paperOutFires(_ kiosk: RunningKiosk, id: String, _ hook: WebhookReceiver, over what: String = "") async throws {
        _ = try await kiosk.ctl("sim", "printer", "paper-out")
        do {
            try await Harness.eventually("the firing notification\(what)", seconds: 15) {
                Self.seen(hook, kiosk: id) == ["firing kiosk-paper-out"]
            }
        } catch {
            throw HarnessError("\(error); the queue: \(try await kiosk.ctl("queue", "list").stdout)")
        }
    }

    @Test func paperOutFiresAndTheRefillResolves() async throws {
        let (alertmanager, hook) = try await Self.shared.value
        let kiosk = try await Self.kiosk(id: "am-paper", alertmanager: alertmanager.url)
        _ = try await kiosk.ctl("sim", "printer", "paper-out")
        let faults = try await kiosk.ctl("faults")
        #expect(faults.status == 1, "an open fault: exit 1")
        #expect(faults.stdout.contains("sim-printer.paper-out"))
        try await Harness.eventually("the firing notification", seconds: 15) {
            Self.seen(hook, kiosk: "am-paper") == ["firing kiosk-paper-out"]
        }
        let alert = try #require(hook.notifications.first { $0.labels["kiosk"] == "am-paper" })
        #expect(alert.labels["severity"] == "warning")
        #expect(alert.labels["device"] == "sim-printer")
        #expect(alert.labels["location"] == "test bench")
        #expect(alert.labels["action"] == "clear")

        _ = try await kiosk.ctl("sim", "printer", "ok")
        try await Harness.eventually("the resolved notification", seconds: 15) {
            Self.seen(hook, kiosk: "am-paper") == ["firing kiosk-paper-out", "resolved kiosk-paper-out"]
        }
        #expect(try await kiosk.ctl("faults").status == 0)
        #expect(try await kiosk.ctl("faults", "list", "--all").stdout.contains("resolved"))
        #expect(try await kiosk.stop() == 0)
    }

    @Test func theSameFaultTwiceIsOneNotification() async throws {
        let (alertmanager, hook) = try await Self.shared.value
        // A hysteresis of 5 s: the flap below is two kioskctl calls, which a loaded machine can take well over a second for.
        let kiosk = try await Self.kiosk(id: "am-twice", alertmanager: alertmanager.url, clearSeconds: 5)
        try await Self.paperOutFires(kiosk, id: "am-twice", hook)
        // A flap shorter than the hysteresis, and a refresh (every 5 s) of the open fault: nothing new for staff.
        _ = try await kiosk.ctl("sim", "printer", "ok")
        _ = try await kiosk.ctl("sim", "printer", "paper-out")
        try await Task.sleep(for: .seconds(8))
        #expect(Self.seen(hook, kiosk: "am-twice") == ["firing kiosk-paper-out"])
        let open = try await kiosk.ctl("faults", "--json")
        #expect(open.stdout.contains("\"count\" : 2"), "the flap is counted on the one fault")
        #expect(try await kiosk.stop() == 0)
    }

    @Test func faultsRaisedWhileAlertmanagerIsDownArriveWhenItStarts() async throws {
        let (_, hook) = try await Self.shared.value
        let port = try Harness.freePort()
        let kiosk = try await Self.kiosk(id: "am-late", alertmanager: URL(string: "http://127.0.0.1:\(port)")!)
        _ = try await kiosk.ctl("sim", "printer", "jam")
        try await Harness.eventually("the alert waiting in the outbox", seconds: 10) {
            let queue = try await kiosk.ctl("queue", "list").stdout
            return queue.contains("alert:staff") && queue.contains("alertmanager staff at http://127.0.0.1:\(port)")
        }
        // The resident's side is not held up by the dead sink.
        let status = try await kiosk.ctl("status")
        #expect(status.status == 0)
        let late = try await AlertmanagerPeer.start(webhook: hook.url, port: port)
        defer { Task { try? await late.stop() } }
        try await Harness.eventually("the late notification", seconds: 20) {
            Self.seen(hook, kiosk: "am-late").contains("firing kiosk-paper-jam")
        }
        #expect(try await kiosk.stop() == 0)
    }

    @Test func anAlertmanagerThatRestartsGetsTheOpenFaultsBack() async throws {
        let hook = try await WebhookReceiver()
        defer { hook.stop() }
        let port = try Harness.freePort()
        var alertmanager = try await AlertmanagerPeer.start(webhook: hook.url, port: port)
        let kiosk = try await Self.kiosk(id: "am-restart", alertmanager: alertmanager.url)
        _ = try await kiosk.ctl("sim", "printer", "offline")
        try await Harness.eventually("the first notification", seconds: 15) {
            Self.seen(hook, kiosk: "am-restart") == ["firing kiosk-offline"]
        }
        // A restart with an empty storage forgets every alert; kioskd's refresh (every 5 s here) brings it back.
        try await alertmanager.stop()
        alertmanager = try await AlertmanagerPeer.start(webhook: hook.url, port: port)
        try await Harness.eventually("the fault again after the restart", seconds: 20) {
            Self.seen(hook, kiosk: "am-restart") == ["firing kiosk-offline", "firing kiosk-offline"]
        }
        try await alertmanager.stop()
        #expect(try await kiosk.stop() == 0)
    }

    /// An Alertmanager on https that admits known kiosks only (`--web.config.file`, client certificates from the
    /// municipality's CA): with its certificate the kiosk's alert arrives; without, it waits in the outbox, saying why.
    @Test func anAlertmanagerBehindMutualTLSTakesTheKioskWithItsCertificate() async throws {
        let (_, hook) = try await Self.shared.value
        let certificates = try await TestCertificates.make()
        let alertmanager = try await AlertmanagerPeer.start(webhook: hook.url, tls: certificates)
        defer { Task { try? await alertmanager.stop() } }
        #expect(alertmanager.url.scheme == "https")

        let known = try await Self.kiosk(
            id: "am-mtls", alertmanager: alertmanager.url,
            sink: [
                "caFile: \(certificates.ca)", "certFile: \(certificates.clientCertificate)",
                "keyFile: \(certificates.clientKey)",
            ])
        try await Self.paperOutFires(known, id: "am-mtls", hook, over: " over mutual TLS")

        let stranger = try await Self.kiosk(
            id: "am-nocert", alertmanager: alertmanager.url, sink: ["caFile: \(certificates.ca)"])
        _ = try await stranger.ctl("sim", "printer", "paper-out")
        var line = ""
        try await Harness.eventually("the alert waiting, with why", seconds: 10) {
            line = try await stranger.ctl("queue", "list").stdout
            return line.contains("alert:staff") && line.contains("alertmanager staff at \(alertmanager.url.absoluteString)")
        }
        #expect(line.contains("does it want a client certificate? set certFile and keyFile"), "\(line)")
        #expect(Self.seen(hook, kiosk: "am-nocert").isEmpty)
        #expect(try await known.stop() == 0)
        #expect(try await stranger.stop() == 0)
    }

    /// `Kiosk/alertmanager.yml` itself, with only its addresses and waits made local: staff get an e-mail whose subject
    /// names the kiosk and the fault, the security inbox the unknown USB device as well, and the service desk's webhook both.
    @Test func theExampleConfigurationMailsTheDeskAndTheSecurityInbox() async throws {
        let (_, hook) = try await Self.shared.value
        let smtp = try await SMTPPeer.start()
        var config = try String(contentsOfFile: Harness.root + "/Kiosk/alertmanager.yml", encoding: .utf8)
        for (from, to) in [
            ("smtp_smarthost: smtp.tilburg.example:587", "smtp_smarthost: 127.0.0.1:\(smtp.port)"),
            ("smtp_require_tls: true", "smtp_require_tls: false"), ("group_wait: 10s", "group_wait: 0s"),
            ("group_interval: 1m", "group_interval: 1s"),
            ("http://servicedesk.tilburg.example/hooks/kiosk-security", hook.url.absoluteString),
            ("http://servicedesk.tilburg.example/hooks/kiosk", hook.url.absoluteString),
        ] {
            #expect(config.contains(from), "the example still says \(from)")
            config = config.replacingOccurrences(of: from, with: to)
        }
        let alertmanager = try await AlertmanagerPeer.start(webhook: hook.url, config: config)
        defer { Task { try? await alertmanager.stop() } }
        let fixture = Harness.root + "/Tests/Fixtures/usb/unknown-keyboard.json"
        let kiosk = try await Self.kiosk(
            id: "am-example", alertmanager: alertmanager.url, extra: "usb:\n  descriptors: \(fixture)")
        _ = try await kiosk.ctl("sim", "printer", "paper-out")
        try await Harness.eventually("both on the service desk's webhook", seconds: 20) {
            Set(Self.seen(hook, kiosk: "am-example")) == ["firing kiosk-paper-out", "firing kiosk-usb-unknown"]
        }
        var mails: [(to: String, subject: String)] = []
        try await Harness.eventually("the e-mails", seconds: 20) {
            mails = smtp.messages.map {
                (SMTPPeer.header("To", in: $0) ?? "?", SMTPPeer.header("Subject", in: $0) ?? "?")
            }
            return mails.count >= 3
        }
        try await Task.sleep(for: .seconds(2))
        mails = smtp.messages.map { (SMTPPeer.header("To", in: $0) ?? "?", SMTPPeer.header("Subject", in: $0) ?? "?") }
        #expect(mails.count == 3, "\(mails)")
        let staff = mails.filter { $0.to == "stadswinkel-balie@tilburg.example" }.map(\.subject).sorted()
        #expect(
            staff == [
                "am-example (test bench): Onbekend USB-apparaat aangesloten (03eb:2401, Unknown Keyboard (injector)); "
                    + "mogelijk geknoei aan de kiosk. Controleer de kiosk.",
                "am-example (test bench): Printer sim-printer: het papier is op; vul de papierrol bij.",
            ], "the desk hears of both: \(mails)")
        let security = mails.filter { $0.to == "informatiebeveiliging@tilburg.example" }
        #expect(security.count == 1 && security[0].subject.contains("kiosk-usb-unknown"), "\(mails)")
        #expect(try await kiosk.stop() == 0)
    }

    /// Alertmanager's own view of an alert (`active` or `suppressed`) and the silences kioskd set there, for one kiosk.
    static func alertmanagerView(_ alertmanager: AlertmanagerPeer, kiosk: String) async throws
        -> (states: [String], silences: [String])
    {
        let filter = "filter=kiosk%3D%22\(kiosk)%22"
        let alerts = try await alertmanager.get("/api/v2/alerts?\(filter)") as? [[String: Any]] ?? []
        let silences = try await alertmanager.get("/api/v2/silences?\(filter)") as? [[String: Any]] ?? []
        return (
            alerts.compactMap { ($0["status"] as? [String: Any])?["state"] as? String },
            silences.compactMap { silence in
                guard silence["createdBy"] as? String == "kioskd \(kiosk)" else { return nil }
                return (silence["status"] as? [String: Any])?["state"] as? String
            }
        )
    }

    /// A technician acknowledges: Alertmanager silences that fault, so staff are not reminded every repeat_interval; the
    /// fix lifts the silence first, so staff still hear it is resolved.
    @Test func anAcknowledgedFaultIsSilencedUntilItIsResolved() async throws {
        let (alertmanager, hook) = try await Self.shared.value
        let kiosk = try await Self.kiosk(id: "am-ack", alertmanager: alertmanager.url)
        try await Self.paperOutFires(kiosk, id: "am-ack", hook)
        #expect(try await Self.alertmanagerView(alertmanager, kiosk: "am-ack").states == ["active"])
        let list = try await kiosk.ctl("faults")
        let id = try #require(list.stdout.split(separator: " ").first { $0.hasPrefix("#") }?.dropFirst())
        let ack = try await kiosk.ctl("faults", "ack", String(id))
        #expect(ack.stdout.contains("acknowledged; silenced in Alertmanager staff for 24 h or until resolved"), "\(ack.stdout)")
        #expect(try await kiosk.ctl("faults").stdout.contains(", acknowledged 20"), "when, in kioskctl faults")
        var view: (states: [String], silences: [String]) = ([], [])
        do {
            try await Harness.eventually("the alert silenced in Alertmanager", seconds: 15) {
                view = try await Self.alertmanagerView(alertmanager, kiosk: "am-ack")
                return view.states == ["suppressed"] && view.silences == ["active"]
            }
        } catch {
            throw HarnessError(
                "\(error): alerts \(view.states), silences \(view.silences); the queue: \(try await kiosk.ctl("queue", "list").stdout)"
            )
        }
        _ = try await kiosk.ctl("sim", "printer", "ok")
        try await Harness.eventually("the resolved notification", seconds: 15) {
            Self.seen(hook, kiosk: "am-ack") == ["firing kiosk-paper-out", "resolved kiosk-paper-out"]
        }
        #expect(try await Self.alertmanagerView(alertmanager, kiosk: "am-ack").silences == ["expired"])
        #expect(try await kiosk.stop() == 0)
    }

    /// The outbox sends a silence again when its answer was lost (a timeout under load): Alertmanager then already has it,
    /// and a second one would outlive the lift, which expires only what it finds once.
    @Test func aSilenceDeliveredTwiceIsOneSilence() async throws {
        let (alertmanager, _) = try await Self.shared.value
        var sink = AlertSink(name: "staff", kind: .alertmanager, url: alertmanager.url)
        sink.silenceHours = 1
        let poster = HTTPAlertPoster(sink: sink, origin: AlertOrigin(kioskID: "am-twice", location: "test bench"))
        let fault = try #require(Fault.device("receipt", .printer, status: DeviceStatus(state: .online, paper: .out)))
        let alert = AlertBatch.Alert(
            id: 41, fault: fault, startsAt: Date().timeIntervalSince1970, endsAt: nil, acknowledged: true)
        let until = Date().timeIntervalSince1970 + 3600
        for _ in 1...2 {
            let answer = await poster.post(AlertBatch(sink: "staff", alerts: [alert], silence: .set(until: until)))
            #expect(answer == .answered(ServiceResult(.accepted)))
        }
        #expect(try await Self.alertmanagerView(alertmanager, kiosk: "am-twice").silences == ["active"])
        #expect(
            await poster.post(AlertBatch(sink: "staff", alerts: [alert], silence: .lift)) == .answered(ServiceResult(.accepted)))
        #expect(try await Self.alertmanagerView(alertmanager, kiosk: "am-twice").silences == ["expired"])
    }

    @Test func anUnknownUSBDeviceIsASecurityAlertUntilATechnicianResolvesIt() async throws {
        let (alertmanager, hook) = try await Self.shared.value
        let fixture = Harness.root + "/Tests/Fixtures/usb/unknown-keyboard.json"
        let kiosk = try await Self.kiosk(
            id: "am-usb", alertmanager: alertmanager.url, extra: "usb:\n  descriptors: \(fixture)")
        try await Harness.eventually("the security notification", seconds: 15) {
            Self.seen(hook, kiosk: "am-usb") == ["firing kiosk-usb-unknown"]
        }
        let alert = try #require(hook.notifications.first { $0.labels["kiosk"] == "am-usb" })
        #expect(alert.labels["security"] == "true")
        #expect(alert.labels["severity"] == "critical")
        #expect(alert.labels["fault"] == "usb.unknown-03eb-2401")

        let list = try await kiosk.ctl("faults")
        #expect(list.stdout.contains("SECURITY"))
        let id = try #require(list.stdout.split(separator: " ").first { $0.hasPrefix("#") }?.dropFirst())
        #expect(try await kiosk.ctl("faults", "ack", String(id)).status == 0)
        #expect(try await kiosk.ctl("faults", "ack", String(id)).status == 4, "already acknowledged: no such active fault")
        let resolve = try await kiosk.ctl("faults", "resolve", String(id))
        #expect(resolve.stdout.contains("resolved"))
        try await Harness.eventually("the resolved security notification", seconds: 15) {
            Self.seen(hook, kiosk: "am-usb") == ["firing kiosk-usb-unknown", "resolved kiosk-usb-unknown"]
        }
        #expect(try await kiosk.stop() == 0)
    }
}
