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
    /// How long a technician's acknowledgement silences the fault in Alertmanager (0: no silence). A fault still open after
    /// that reminds staff again.
    public var silenceHours = 24
    /// Files (mode 0600) with a bearer token, or `user:password` for basic auth, for a sink behind authentication
    /// (Alertmanager's `--web.config.file`, a reverse proxy, a service desk).
    public var tokenFile: String?
    public var basicAuthFile: String?
    /// The `Authorization` header made from those files at start; never logged.
    public var authorization: String?
    /// Its own CA bundle, and a client certificate for mutual TLS (`caFile`, `certFile`, `keyFile`).
    public var tls = ClientTLS()

    public init(name: String, kind: Kind, url: URL? = nil, refreshSeconds: Int? = nil, timeoutSeconds: Int = 5) {
        self.name = name
        self.kind = kind
        self.url = url
        self.refreshSeconds = refreshSeconds
        self.timeoutSeconds = timeoutSeconds
    }

    /// Reads the credentials files into ``authorization``, and checks the TLS files.
    /// - throws: ``AlertingError`` with one line: a missing or malformed file, one others may read, or a short secret.
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
            _ = try tls.client()
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
    /// Made (and cached) by ``AlertSink/loadCredentials()`` at start, so it fails only for a sink that skipped that; every
    /// delivery then says so.
    let client: Result<HTTPClient, ClientTLSError>

    public init(sink: AlertSink, origin: AlertOrigin) {
        self.sink = sink
        self.origin = origin
        client = Result { () throws(ClientTLSError) in try sink.tls.client() }
    }

    /// Any 2xx is delivered; anything else (4xx, 5xx, a hang past the timeout, garbage) is tried again later.
    public func post(_ batch: AlertBatch, now: Date = Date()) async -> CentralAnswer {
        guard let url = sink.url else { return .refused("sink \(sink.name) has no url") }
        let target: URL
        let body: Data
        switch sink.kind {
        case .alertmanager where batch.silence == .lift:
            return await liftSilences(batch, at: url)
        case .alertmanager where batch.silence != nil:
            // Queued while Alertmanager was down for longer than the silence would have lasted: nothing to silence now.
            if case .set(let until) = batch.silence, until <= now.timeIntervalSince1970 {
                return .answered(ServiceResult(.accepted))
            }
            // A retry after an answer that got lost on the way must not set a second silence.
            switch await silencesWeSet(batch, at: url) {
            case .failure(let failure): return failure.answer
            case .success(let ids) where !ids.isEmpty: return .answered(ServiceResult(.accepted))
            case .success: break
            }
            target = url.appendingPathComponent("api/v2/silences")
            body = AlertPayload.silence(batch, origin: origin, now: now)
        case .alertmanager:
            target = url.appendingPathComponent("api/v2/alerts")
            body = AlertPayload.alertmanager(batch, origin: origin, now: now)
        case .webhook, .central:
            target = url
            body = AlertPayload.webhook(batch, origin: origin)
        }
        switch await exchange(.POST, target, body: body) {
        case .success: return .answered(ServiceResult(.accepted))
        case .failure(let failure): return .unavailable(failure.line, retryAfter: nil)
        }
    }

    /// Expires the silences kioskd set for these faults. Finding none is fine (never set, or already lifted by a retry).
    func liftSilences(_ batch: AlertBatch, at url: URL) async -> CentralAnswer {
        let ids: [String]
        switch await silencesWeSet(batch, at: url) {
        case .success(let found): ids = found
        case .failure(let failure): return failure.answer
        }
        for id in ids {
            let silence = url.appendingPathComponent("api/v2/silence").appendingPathComponent(id)
            if case .failure(let failure) = await exchange(.DELETE, silence, body: nil) {
                return .unavailable(failure.line, retryAfter: nil)
            }
        }
        return .answered(ServiceResult(.accepted))
    }

    /// The ids of the active or pending silences kioskd set for these faults.
    func silencesWeSet(_ batch: AlertBatch, at url: URL) async -> Result<[String], Failure> {
        var ids: [String] = []
        for alert in batch.alerts {
            var query = URLComponents(url: url.appendingPathComponent("api/v2/silences"), resolvingAgainstBaseURL: false)
            query?.queryItems = [
                URLQueryItem(name: "filter", value: "kiosk=\"\(origin.kioskID)\""),
                URLQueryItem(name: "filter", value: "fault_id=\"\(alert.id)\""),
            ]
            guard let target = query?.url else {
                return .failure(Failure(line: "sink \(sink.name): cannot build the silences query", refused: true))
            }
            let found: ByteBuffer
            switch await exchange(.GET, target, body: nil) {
            case .success(let body): found = body
            case .failure(let failure): return .failure(failure)
            }
            guard let these = AlertPayload.liftable(Data(found.readableBytesView), kioskID: origin.kioskID) else {
                return .failure(Failure(line: "alertmanager \(sink.name): its list of silences is not JSON I know"))
            }
            ids += these
        }
        return .success(ids)
    }

    struct Failure: Error {
        var line: String
        /// Trying again cannot help.
        var refused = false

        var answer: CentralAnswer { refused ? .refused(line) : .unavailable(line, retryAfter: nil) }
    }

    /// One request; a 2xx answer gives its body (at most 1 MB), anything else one line for the log.
    func exchange(_ method: HTTPMethod, _ target: URL, body: Data?) async -> Result<ByteBuffer, Failure> {
        var request = HTTPClientRequest(url: target.absoluteString)
        request.method = method
        request.headers.add(name: "User-Agent", value: "kioskd")
        if let authorization = sink.authorization { request.headers.add(name: "Authorization", value: authorization) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let http: HTTPClient
        switch client {
        case .success(let client): http = client
        case .failure(let failure): return .failure(Failure(line: "\(sink.kind.rawValue) \(sink.name): \(failure)"))
        }
        do {
            let response = try await http.execute(request, timeout: .seconds(Int64(sink.timeoutSeconds)))
            let text = (try? await response.body.collect(upTo: 1 << 20)) ?? ByteBuffer()
            guard (200..<300).contains(response.status.code) else {
                // What it said, for the log line: a little of it, whatever its size or bytes.
                let said = String(decoding: text.readableBytesView.prefix(120), as: UTF8.self)
                    .map { $0.isLetter || $0.isNumber || $0.isPunctuation || $0 == " " ? $0 : " " }
                return .failure(
                    Failure(line: "\(sink.kind.rawValue) \(sink.name) answered HTTP \(response.status.code) \(String(said))"))
            }
            return .success(text)
        } catch {
            let at = sink.url?.absoluteString ?? "?"
            var why = Self.describe(error)
            // Under TLS 1.3 a server that wants a client certificate drops the connection after the handshake.
            if let error = error as? HTTPClientError, error == .remoteConnectionClosed, target.scheme == "https",
                sink.tls.certificate == nil
            {
                why += " (does it want a client certificate? set certFile and keyFile)"
            }
            return .failure(Failure(line: "\(sink.kind.rawValue) \(sink.name) at \(at): \(why)"))
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError, error == .deadlineExceeded { return "no answer in time" }
        if let tls = ClientTLS.describe(error) { return tls }
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
                "fault_id": String(alert.id),
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

    /// Alertmanager API v2 `postableSilence` for an acknowledged fault: it matches the kiosk and the fault's id, so it can
    /// never hide another fault, nor the same problem when it comes back later as a new fault. kioskd sends one fault a batch.
    public static func silence(_ batch: AlertBatch, origin: AlertOrigin, now: Date) -> Data {
        guard case .set(let until) = batch.silence else { return Data("{}".utf8) }
        let ids = batch.alerts.map { String($0.id) }
        let matchers: [[String: Any]] = [
            ["name": "kiosk", "value": origin.kioskID, "isRegex": false, "isEqual": true],
            ["name": "fault_id", "value": ids.joined(separator: "|"), "isRegex": ids.count > 1, "isEqual": true],
        ]
        let faults = batch.alerts.map(\.fault.key).joined(separator: ", ")
        let silence: [String: Any] = [
            "matchers": matchers,
            "startsAt": iso(now.timeIntervalSince1970),
            "endsAt": iso(until),
            "createdBy": "kioskd \(origin.kioskID)",
            "comment": "Erkend op de kiosk (kioskctl faults ack): \(faults)",
        ]
        return (try? JSONSerialization.data(withJSONObject: silence, options: [.sortedKeys])) ?? Data("{}".utf8)
    }

    /// The ids of the active or pending silences kioskd set, from Alertmanager's `gettableSilences`; nil for an answer that
    /// is not such a list.
    public static func liftable(_ answer: Data, kioskID: String) -> [String]? {
        guard let list = try? JSONSerialization.jsonObject(with: answer) as? [Any] else { return nil }
        return list.compactMap { item in
            guard let silence = item as? [String: Any], let id = silence["id"] as? String, id.count <= 64,
                id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }),
                silence["createdBy"] as? String == "kioskd \(kioskID)",
                let state = (silence["status"] as? [String: Any])?["state"] as? String, state != "expired"
            else { return nil }
            return id
        }
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
