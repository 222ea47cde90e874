import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
    import Glibc
#endif

/// The back-office stand-in a test run shares (StandIns/commonground: Open Zaak's Catalogi, Zaken and Documenten, Open
/// Klant's Klantinteracties and the BRP on one port, every message validated against the official documents), and the
/// configuration that points a kiosk-central at it.
public struct RunningBackOffice: Sendable {
    public let url: String
    public let dir: String
    public let pid: pid_t

    /// A back-office configuration for kiosk-central (`--backend commonground --config`), with its secret files.
    /// - parameters:
    ///   - zaaktype: the extract's zaaktype identificatie (UITTREKSEL-CONCEPT is seeded unpublished).
    ///   - zgwSecret: what kiosk-central signs with; the stand-in knows only ``BackOfficePeer/zgwSecret``.
    ///   - brp: the `brp` section, to use another BRP (one that takes mutual TLS); by default this stand-in's, with its key.
    public func config(
        zaaktype: String = "UITTREKSEL-BRP", zgwSecret: String = BackOfficePeer.zgwSecret, brp: String? = nil
    ) throws -> String {
        var template = Array("/tmp/bo-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw PeerError("mkdtemp failed") }
        let folder = String(cString: made)
        let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        for (name, secret) in [
            ("zgw.secret", zgwSecret), ("klant.token", BackOfficePeer.klantToken), ("brp.key", BackOfficePeer.brpKey),
            ("journal.key", key),
        ] {
            FileManager.default.createFile(
                atPath: "\(folder)/\(name)", contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600])
        }
        let yaml = """
            organisation: "002564440"
            channel: Zelfbedieningszuil Stadswinkel
            timeoutSeconds: 3
            journalKeyFile: \(folder)/journal.key
            brp: \(brp ?? "{url: \"\(url)/haalcentraal/api/brp\", apiKeyFile: \(folder)/brp.key}")
            zgw:
              catalogi: "\(url)/catalogi/api/v1"
              zaken: "\(url)/zaken/api/v1"
              documenten: "\(url)/documenten/api/v1"
              clientId: \(BackOfficePeer.zgwClient)
              secretFile: \(folder)/zgw.secret
            klantinteracties: {url: "\(url)/klantinteracties/api/v1", tokenFile: \(folder)/klant.token}
            extract: {zaaktype: \(zaaktype), received: Ontvangen, closed: Afgehandeld, documentType: Uittreksel BRP}
            pickup:
              ready: Gereed voor afhalen
              collected: Uitgereikt
              zaaktypen: {passport: AFHALEN-PASPOORT, drivingLicence: AFHALEN-RIJBEWIJS}

            """
        try yaml.write(toFile: folder + "/backoffice.yaml", atomically: true, encoding: .utf8)
        return folder + "/backoffice.yaml"
    }

    // MARK: - The stand-in's admin endpoints

    /// Every object the stand-in keeps, by resource name (zaken, rollen, statussen, …).
    public func state() async throws -> [String: Any] {
        try await stateAndCount().state
    }

    /// The state, and how many requests the stand-in had answered before it read it.
    func stateAndCount() async throws -> (state: [String: Any], requests: Int) {
        let (body, headers) = try await fetch("/_standin/state")
        guard let count = headers.first(name: "X-Standin-Requests").flatMap(Int.init) else {
            throw PeerError("the stand-in's state has no X-Standin-Requests")
        }
        return (try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:], count)
    }

    /// How many requests the stand-in has answered so far.
    public func requestCount() async throws -> Int {
        let (_, headers) = try await fetch("/_standin/requests?after=\(Int32.max)")
        guard let count = headers.first(name: "X-Standin-Requests").flatMap(Int.init) else {
            throw PeerError("the stand-in's requests have no X-Standin-Requests")
        }
        return count
    }

    /// Waits until the stand-in has answered `count` requests after the first `after`, and returns those.
    public func awaitRequests(after: Int, count: Int, seconds: Int = 60) async throws -> [[String: Any]] {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var seen: [[String: Any]] = []
        while seen.count < count {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { throw PeerError("the stand-in answered \(seen.count) of \(count) requests in time") }
            seen += try await requests(
                after: after + seen.count, atLeast: count - seen.count, wait: max(1, Int(left.components.seconds)))
        }
        return seen
    }

    /// Waits until the stand-in's state satisfies `done`, looking again after each request it answers (never on a
    /// clock); the last state read if `seconds` pass first.
    public func awaitState(seconds: Int = 60, _ done: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while true {
            // The count is read before the state, so a request answered after the read makes the wait below return.
            let (state, count) = try await stateAndCount()
            let left = deadline - ContinuousClock.now
            if done(state) || left <= .zero { return state }
            _ = try await requests(after: count, wait: max(1, Int(left.components.seconds)))
        }
    }

    /// The requests and answers that did not match the official documents, one line each.
    public func violations() async throws -> [String] {
        try await json("/_standin/violations") as? [String] ?? []
    }

    /// Method, path, status and answer time (`millis`) of every request after the first `after`; with `wait`, the
    /// stand-in answers once there are `atLeast`, or after that many seconds with what there is.
    public func requests(after: Int = 0, atLeast: Int = 1, wait: Int = 0) async throws -> [[String: Any]] {
        let (body, _) = try await fetch(
            "/_standin/requests?after=\(after)&atLeast=\(atLeast)&wait=\(wait)", timeout: wait + 5)
        return try JSONSerialization.jsonObject(with: body) as? [[String: Any]] ?? []
    }

    /// What the servers do when things go wrong, for matching requests: see StandIns/commonground/standin.py.
    public func inject(_ rules: [[String: Any]]) async throws {
        var request = HTTPClientRequest(url: url + "/_standin/inject")
        request.method = .PUT
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: rules)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        guard response.status == .noContent else { throw PeerError("inject answered \(response.status)") }
    }

    func json(_ path: String) async throws -> Any {
        try JSONSerialization.jsonObject(with: try await fetch(path).body)
    }

    func fetch(_ path: String, timeout: Int = 5) async throws -> (body: Data, headers: HTTPHeaders) {
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: url + path), timeout: .seconds(Int64(timeout)))
        let body = try await response.body.collect(upTo: 64 << 20)
        return (Data(body.readableBytesView), response.headers)
    }
}
