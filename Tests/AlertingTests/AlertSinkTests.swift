import Alerting
import Central
import Foundation
import KioskCore
import KioskTesting
import Logging
import Outbox
import Testing

/// The sinks on their own: what they send, and what a failing, refusing or hanging endpoint makes of a delivery.
@Suite(.serialized) struct AlertSinkTests {
    static let origin = AlertOrigin(kioskID: "tlb-01", location: "Stadswinkel, hal")
    static let paperOut = Fault.device("receipt", .printer, status: DeviceStatus(state: .online, paper: .out))!
    static let usb = Fault(
        device: "usb", code: "unknown-03eb-2401", severity: .critical, action: .maintenance, summary: "Onbekend USB-apparaat")

    static func batch(_ sink: String, _ fault: Fault = paperOut, ends: Double? = nil) -> AlertBatch {
        AlertBatch(sink: sink, alerts: [.init(id: 7, fault: fault, startsAt: 1_800_000_000, endsAt: ends, acknowledged: false)])
    }

    @Test func alertmanagerGetsLabelsToGroupOnAndDutchTextForPeople() throws {
        let data = AlertPayload.alertmanager(Self.batch("am"), origin: Self.origin, now: Date())
        let alerts = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        let alert = try #require(alerts.first)
        let labels = try #require(alert["labels"] as? [String: String])
        #expect(
            labels == [
                "alertname": "kiosk-paper-out", "kiosk": "tlb-01", "location": "Stadswinkel, hal", "device": "receipt",
                "severity": "warning", "action": "clear", "fault": "receipt.paper-out", "fault_id": "7",
            ])
        let annotations = try #require(alert["annotations"] as? [String: String])
        #expect(annotations["summary"] == "Printer receipt: het papier is op; vul de papierrol bij.")
        #expect(annotations["description"]?.hasSuffix("Medewerkers kunnen dit zelf verhelpen.") == true)
        #expect(alert["startsAt"] as? String == "2027-01-15T08:00:00.000Z")
        #expect(alert["endsAt"] == nil, "firing: Alertmanager keeps it until resolve_timeout, so kioskd re-posts it")
    }

    @Test func aResolveCarriesEndsAtAndASecurityFaultIsMarked() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_100)
        let data = AlertPayload.alertmanager(Self.batch("am", Self.usb, ends: 1_800_000_060), origin: Self.origin, now: now)
        let alert = try #require((try JSONSerialization.jsonObject(with: data) as? [[String: Any]])?.first)
        #expect(alert["endsAt"] as? String == "2027-01-15T08:01:00.000Z")
        let labels = try #require(alert["labels"] as? [String: String])
        #expect(labels["security"] == "true")
        #expect(labels["alertname"] == "kiosk-usb-unknown")
    }

    /// An acknowledgement silences exactly that fault of that kiosk: not the same problem when it comes back as a new fault.
    @Test func anAcknowledgementIsASilenceOnTheKioskAndTheFaultID() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var batch = Self.batch("am")
        batch.silence = .set(until: 1_800_086_400)
        let silence = try #require(
            try JSONSerialization.jsonObject(with: AlertPayload.silence(batch, origin: Self.origin, now: now)) as? [String: Any])
        let matchers = try #require(silence["matchers"] as? [[String: Any]])
        #expect(matchers.map { "\($0["name"]!)=\($0["value"]!)" } == ["kiosk=tlb-01", "fault_id=7"])
        #expect(matchers.allSatisfy { $0["isRegex"] as? Bool == false && $0["isEqual"] as? Bool == true })
        #expect(silence["startsAt"] as? String == "2027-01-15T08:00:00.000Z")
        #expect(silence["endsAt"] as? String == "2027-01-16T08:00:00.000Z")
        #expect(silence["createdBy"] as? String == "kioskd tlb-01")
        #expect((silence["comment"] as? String)?.contains("receipt.paper-out") == true)
    }

    /// An acknowledgement that waited in the outbox for longer than its silence would last is done with, without a call.
    @Test func aSilenceThatWouldAlreadyHaveEndedIsNotSent() async throws {
        let hook = try await WebhookReceiver()
        defer { hook.stop() }
        let sink = AlertSink(name: "am", kind: .alertmanager, url: URL(string: "http://127.0.0.1:\(hook.port)"))
        var batch = Self.batch("am")
        batch.silence = .set(until: 1_800_000_000)
        let poster = HTTPAlertPoster(sink: sink, origin: Self.origin)
        let late = await poster.post(batch, now: Date(timeIntervalSince1970: 1_800_000_001))
        #expect(late == .answered(ServiceResult(.accepted)))
        #expect(hook.received.isEmpty)
        // Still to come: it is sent (this receiver has no silences route, so its 404 shows the call was made).
        let inTime = await poster.post(batch, now: Date(timeIntervalSince1970: 1_799_999_000))
        #expect(inTime == .unavailable("alertmanager am answered HTTP 404 ", retryAfter: nil))
    }

    /// Only kioskd's own silences that still hold are lifted; anything odd in the answer is left alone.
    @Test func onlyTheKiosksOwnLiveSilencesAreLifted() {
        let answer = """
            [{"id": "6f1c0e3a-1", "createdBy": "kioskd tlb-01", "status": {"state": "active"}},
             {"id": "6f1c0e3a-2", "createdBy": "kioskd tlb-01", "status": {"state": "expired"}},
             {"id": "6f1c0e3a-3", "createdBy": "jan", "status": {"state": "active"}},
             {"id": "../../x", "createdBy": "kioskd tlb-01", "status": {"state": "pending"}},
             {"id": "6f1c0e3a-5", "createdBy": "kioskd tlb-01", "status": {"state": "pending"}},
             {"createdBy": "kioskd tlb-01"}, 42]
            """
        #expect(AlertPayload.liftable(Data(answer.utf8), kioskID: "tlb-01") == ["6f1c0e3a-1", "6f1c0e3a-5"])
        #expect(AlertPayload.liftable(Data("{\"error\": 1}".utf8), kioskID: "tlb-01") == nil)
        #expect(AlertPayload.liftable(Data([0xff, 0x00]), kioskID: "tlb-01") == nil)
    }

    @Test func theWebhookDocumentSaysFiringOrResolved() throws {
        let data = AlertPayload.webhook(Self.batch("hook", ends: 1_800_000_060), origin: Self.origin)
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(document["kiosk"] as? String == "tlb-01")
        let alert = try #require((document["alerts"] as? [[String: Any]])?.first)
        #expect(alert["status"] as? String == "resolved")
        #expect(alert["code"] as? String == "paper-out")
        #expect(alert["id"] as? Int == 7)
    }

    @Test func aRefusingFailingOrHangingEndpointIsTriedAgainLater() async throws {
        let hook = try await WebhookReceiver()
        defer { hook.stop() }
        let sink = AlertSink(name: "hook", kind: .webhook, url: hook.url, timeoutSeconds: 1)
        let poster = HTTPAlertPoster(sink: sink, origin: Self.origin)
        #expect(await poster.post(Self.batch("hook")) == .answered(ServiceResult(.accepted)))
        hook.answer(400)
        guard case .unavailable(let refused, _) = await poster.post(Self.batch("hook")) else {
            Issue.record("a 400 must be retried")
            return
        }
        #expect(refused.hasPrefix("webhook hook answered HTTP 400"))
        hook.answer(503)
        guard case .unavailable(let failed, _) = await poster.post(Self.batch("hook")) else {
            Issue.record("a 503 must be retried")
            return
        }
        #expect(failed.hasPrefix("webhook hook answered HTTP 503"))
        hook.answer(200)
        hook.hang(true)
        let start = ContinuousClock.now
        guard case .unavailable(let hung, _) = await poster.post(Self.batch("hook")) else {
            Issue.record("a hang must be retried")
            return
        }
        hook.hang(false)
        #expect(hung.hasSuffix("no answer in time"), "\(hung)")
        #expect(ContinuousClock.now - start < .seconds(3))
        #expect(hook.received.count == 4)
    }

    @Test func aSinkBehindAuthenticationGetsItsCredentialsFromAFileOnlyTheKioskMayRead() async throws {
        let hook = try await WebhookReceiver()
        defer { hook.stop() }
        let dir = try Harness.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pair = dir + "/am.basic"
        FileManager.default.createFile(
            atPath: pair, contents: Data("kiosk:a-long-enough-secret\n".utf8), attributes: [.posixPermissions: 0o600])
        var sink = AlertSink(name: "am", kind: .webhook, url: hook.url)
        sink.basicAuthFile = pair
        try sink.loadCredentials()
        _ = await HTTPAlertPoster(sink: sink, origin: Self.origin).post(Self.batch("am"))
        #expect(hook.received.last?.authorization == "Basic " + Data("kiosk:a-long-enough-secret".utf8).base64EncodedString())

        let token = dir + "/am.token"
        FileManager.default.createFile(
            atPath: token, contents: Data("0123456789abcdef0123".utf8), attributes: [.posixPermissions: 0o644])
        var open = AlertSink(name: "desk", kind: .webhook, url: hook.url)
        open.tokenFile = token
        #expect(throws: AlertingError.self) { try open.loadCredentials() }
        do {
            try open.loadCredentials()
        } catch {
            #expect(error.description.hasPrefix("sink desk: the token file \(token) is readable by others"))
        }
    }

    @Test func aHangingSinkHoldsUpOnlyItsOwnQueue() async throws {
        let hook = try await WebhookReceiver()
        defer { hook.stop() }
        hook.hang(true)
        let dir = try Harness.scratch()
        let outbox = try Outbox(path: dir + "/outbox.sqlite", keyPath: dir + "/outbox.key")
        let central = try InProcessCentral.shipped()
        let router = DeliveryRouter(
            central: central, sinks: [AlertSink(name: "hook", kind: .webhook, url: hook.url, timeoutSeconds: 30)],
            origin: Self.origin, logger: Logger(label: "test"))
        let drainer = Drainer(outbox: outbox, central: router, idle: .milliseconds(20), logger: Logger(label: "test"))
        try await outbox.enqueue(.deliverAlert(Self.batch("hook")), delivery: Delivery(reference: "A", idempotencyKey: "a"))
        let running = Task { try await drainer.run() }
        defer { running.cancel() }
        try await Harness.eventually("the hanging post to arrive") { hook.received.count == 1 }
        try await outbox.enqueue(
            .callStaff(StaffCall(flow: nil, step: nil, language: .nl)), delivery: Delivery(reference: "B", idempotencyKey: "b"))
        try await Harness.eventually("the staff call delivered while the sink hangs", seconds: 5) {
            try await outbox.list().contains { $0.reference == "B" && $0.state == "delivered" }
        }
        #expect(try await outbox.list().first { $0.reference == "A" }?.state == "pending")
        hook.hang(false)
    }
}
