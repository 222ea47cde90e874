import AsyncHTTPClient
public import Central
public import Foundation
public import KioskCore
import NIOCore
import NIOHTTP1

/// Where staff hear of faults. Several can be configured; each gets its own outbox queue, so one that is down or hangs never
/// holds up another, nor the residents' requests.
public struct AlertSink: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Prometheus Alertmanager, API v2: the fleet standard for routing, grouping, dedupe and e-mail.
        case alertmanager
        /// Any HTTP endpoint that takes a JSON POST (a chat bridge, a ticket system).
        case webhook
        /// The municipality's central API, faults operation.
        case central
    }

    public var name: String
    public var kind: Kind
    public var url: URL?
    /// How often open faults are sent again (Alertmanager forgets them after its resolve_timeout, 5 min by default).
    public var refreshSeconds: Int?
    /// How long one delivery may take before it counts as failed and is retried.
    public var timeoutSeconds: Int
    /// Files (mode 0600) with a bearer token, or `user:password` for basic auth, for a sink behind authentication
    /// (Alertmanager's `--web.config.file`, a reverse proxy, a service desk).
    public var tokenFile: String?
    public var basicAuthFile: String?
    /// The `Authorization` header made from those files at start; never logged.
    public var authorization: String?

    public init(name: String, kind: Kind, url: URL? = nil, refreshSeconds: Int? = nil, timeoutSeconds: Int = 5) {
        self.name = name
        self.kind = kind
        self.url = url
        self.refreshSeconds = refreshSeconds
        self.timeoutSeconds = timeoutSeconds
    }

    /// Reads the credentials files into ``authorization``.
    /// - throws: ``AlertingError`` with one line: a missing file, one others may read, or a short secret.
    public mutating func loadCredentials() throws(AlertingError) {
        do {
            if let tokenFile { authorization = "Bearer " + (try TokenFile.read(tokenFile)) }
            if let basicAuthFile {
                let pair = try TokenFile.read(basicAuthFile)
                guard pair.contains(":") else {
                    throw AlertingError("sink \(name): \(basicAuthFile) must hold user:password on one line")
                }
                authorization = "Basic " + Data(pair.utf8).base64EncodedString()
            }
        } catch let error as TokenFileError {
            throw AlertingError("sink \(name): \(error)")
        } catch let error as AlertingError {
            throw error
        } catch {
            throw AlertingError("sink \(name): \(error)")
        }
    }

    /// Without an `alerts:` section, faults go to the central only, as before alerting existed.
    public static let centralOnly = [AlertSink(name: "central", kind: .central)]
}

/// Who is sending: every alert carries the kiosk and where it stands, so staff know which terminal to walk to.
public struct AlertOrigin: Sendable, Equatable {
    public var kioskID: String
    public var location: String

    public init(kioskID: String, location: String) {
        self.kioskID = kioskID
        self.location = location
    }
}

/// Posts a batch to an Alertmanager or webhook sink, once; the outbox retries.
public struct HTTPAlertPoster: Sendable {
    let sink: AlertSink
    let origin: AlertOrigin
    let client: HTTPClient

    public init(sink: AlertSink, origin: AlertOrigin) {
        self.sink = sink
        self.origin = origin
        client = .shared
    }

    /// Any 2xx is delivered; anything else (4xx, 5xx, a hang past the timeout, garbage) is tried again later.
    public func post(_ batch: AlertBatch, now: Date = Date()) async -> CentralAnswer {
        guard let url = sink.url else { return .refused("sink \(sink.name) has no url") }
        let target: URL
        let body: Data
        switch sink.kind {
        case .alertmanager:
            target = url.appendingPathComponent("api/v2/alerts")
            body = AlertPayload.alertmanager(batch, origin: origin, now: now)
        case .webhook, .central:
            target = url
            body = AlertPayload.webhook(batch, origin: origin)
        }
        var request = HTTPClientRequest(url: target.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "kioskd")
        if let authorization = sink.authorization { request.headers.add(name: "Authorization", value: authorization) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .seconds(Int64(sink.timeoutSeconds)))
            guard (200..<300).contains(response.status.code) else {
                // What it said, for the log line: a little of it, whatever its size or bytes.
                let text = (try? await response.body.collect(upTo: 64 << 10)) ?? ByteBuffer()
                let said = String(decoding: text.readableBytesView.prefix(120), as: UTF8.self)
                    .map { $0.isLetter || $0.isNumber || $0.isPunctuation || $0 == " " ? $0 : " " }
                return .unavailable(
                    "\(sink.kind.rawValue) \(sink.name) answered HTTP \(response.status.code) \(String(said))", retryAfter: nil)
            }
            return .answered(ServiceResult(.accepted))
        } catch {
            return .unavailable("\(sink.kind.rawValue) \(sink.name) at \(url.absoluteString): \(Self.describe(error))", retryAfter: nil)
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError, error == .deadlineExceeded { return "no answer in time" }
        if let error = error as? HTTPClientError { return "\(error)" }
        return String(describing: error).prefix(160).description
    }
}

/// The JSON that leaves the kiosk. Built from device faults only: no personal data can be in it.
public enum AlertPayload {
    /// Alertmanager API v2 `postableAlerts`. The labels identify the alert (Alertmanager dedupes on them); the annotations are
    /// for people, in Dutch.
    public static func alertmanager(_ batch: AlertBatch, origin: AlertOrigin, now: Date) -> Data {
        let alerts: [[String: Any]] = batch.alerts.map { alert in
            var labels = [
                "alertname": alert.fault.isSecurity ? "kiosk-usb-unknown" : "kiosk-" + alert.fault.code,
                "kiosk": origin.kioskID, "location": origin.location, "device": alert.fault.device,
                "severity": alert.fault.severity.rawValue, "action": alert.fault.action.rawValue, "fault": alert.fault.key,
            ]
            if alert.fault.isSecurity { labels["security"] = "true" }
            var item: [String: Any] = [
                "labels": labels,
                "annotations": [
                    "summary": alert.fault.summary,
                    "description": description(alert, origin: origin),
                ],
                "startsAt": iso(alert.startsAt),
            ]
            if let ends = alert.endsAt { item["endsAt"] = iso(min(ends, now.timeIntervalSince1970)) }
            return item
        }
        return (try? JSONSerialization.data(withJSONObject: alerts, options: [.sortedKeys])) ?? Data("[]".utf8)
    }

    /// A plain JSON document for a generic webhook: one entry per fault, firing or resolved.
    public static func webhook(_ batch: AlertBatch, origin: AlertOrigin) -> Data {
        let alerts: [[String: Any]] = batch.alerts.map { alert in
            var item: [String: Any] = [
                "id": alert.id, "status": alert.endsAt == nil ? "firing" : "resolved", "device": alert.fault.device,
                "code": alert.fault.code, "severity": alert.fault.severity.rawValue, "action": alert.fault.action.rawValue,
                "summary": alert.fault.summary, "security": alert.fault.isSecurity, "acknowledged": alert.acknowledged,
                "startsAt": iso(alert.startsAt),
            ]
            if let ends = alert.endsAt { item["endsAt"] = iso(ends) }
            return item
        }
        let document: [String: Any] = [
            "version": "1", "kiosk": origin.kioskID, "location": origin.location, "alerts": alerts,
        ]
        return (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])) ?? Data("{}".utf8)
    }

    static func description(_ alert: AlertBatch.Alert, origin: AlertOrigin) -> String {
        let help =
            switch alert.fault.action {
            case .clear: "Medewerkers kunnen dit zelf verhelpen."
            case .maintenance: "Er is een technicus nodig."
            case .suspend: "De kiosk herstelt dit vermoedelijk zelf; blijft het, kijk dan."
            }
        let place = origin.location.isEmpty ? "" : " (\(origin.location))"
        return "Kiosk \(origin.kioskID)\(place): \(alert.fault.summary) \(help)"
    }

    static func iso(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}
