import AsyncHTTPClient
public import Foundation
import Hummingbird
import NIOHTTP1
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A real Prometheus Alertmanager (Debian's `prometheus-alertmanager`) on loopback, with gossip off, routing every alert to
/// a webhook the test owns. group_wait 0s and group_interval 1s, so notifications come within about a second.
public final class AlertmanagerPeer: @unchecked Sendable {
    public let port: Int
    public let dir: String
    /// Whether it listens with TLS and wants a client certificate.
    public let tls: Bool
    private(set) var pid: pid_t

    public var url: URL { URL(string: "\(tls ? "https" : "http")://127.0.0.1:\(port)")! }
    /// Every Alertmanager a test started, stopped when the test process exits (suites share theirs until then).
    nonisolated(unsafe) static var started: [pid_t] = []

    /// Starts Alertmanager on `port` (a free one when nil), sending to `webhook`; with `tls`, on https, admitting only
    /// clients with a certificate from that CA. `config` replaces the whole configuration (the example in `Kiosk/`).
    public static func start(
        webhook: URL, port: Int? = nil, tls: TestCertificates? = nil, config: String? = nil
    ) async throws -> AlertmanagerPeer {
        let binary = try Harness.tool("prometheus-alertmanager", package: "prometheus-alertmanager")
        let dir = try Harness.scratch()
        let port = try port ?? Harness.freePort()
        let text =
            config ?? """
        route:
          receiver: hook
          group_by: [alertname, kiosk]
          group_wait: 0s
          group_interval: 1s
          repeat_interval: 4h
        receivers:
          - name: hook
            webhook_configs:
              - url: \(webhook.absoluteString)
                send_resolved: true

        """
        try text.write(toFile: dir + "/alertmanager.yml", atomically: true, encoding: .utf8)
        var arguments = [
            "--config.file=\(dir)/alertmanager.yml", "--storage.path=\(dir)/data",
            "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=", "--log.level=warn",
        ]
        if let tls {
            try """
            tls_server_config:
              cert_file: \(tls.serverCertificate)
              key_file: \(tls.serverKey)
              client_auth_type: RequireAndVerifyClientCert
              client_ca_file: \(tls.ca)

            """.write(toFile: dir + "/web.yml", atomically: true, encoding: .utf8)
            arguments.append("--web.config.file=\(dir)/web.yml")
        }
        let pid = try Harness.spawn(binary, arguments, stdout: dir + "/out.log", stderr: dir + "/err.log")
        if started.isEmpty { atexit { AlertmanagerPeer.started.forEach { kill($0, SIGTERM) } } }
        started.append(pid)
        let peer = AlertmanagerPeer(port: port, dir: dir, tls: tls != nil, pid: pid)
        try await Harness.eventually("Alertmanager ready on \(port)", seconds: 20) {
            guard (try? Harness.reap(pid)) ?? nil == nil else {
                let log = (try? String(contentsOfFile: dir + "/err.log", encoding: .utf8)) ?? ""
                throw PeerError("Alertmanager ended at start: \(log.suffix(300))")
            }
            let answer = try? Harness.tcpHTTP(port: port, "GET /-/ready HTTP/1.0\r\n\r\n")
            // On TLS, plain HTTP only shows that it listens: Go answers it with a 400 saying it is an HTTPS server.
            return answer?.contains(tls == nil ? " 200 " : "HTTPS server") ?? false
        }
        return peer
    }

    init(port: Int, dir: String, tls: Bool, pid: pid_t) {
        self.port = port
        self.dir = dir
        self.tls = tls
        self.pid = pid
    }

    /// A GET on Alertmanager's API (`/api/v2/alerts?filter=…`), its JSON body. Through a real HTTP client: Alertmanager
    /// cancels a request whose client half-closed the connection.
    public func get(_ pathAndQuery: String) async throws -> Any {
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: url.absoluteString + pathAndQuery), timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 4 << 20)
        guard response.status.code == 200, let json = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        else {
            throw PeerError("Alertmanager answered \(response.status.code) to \(pathAndQuery)")
        }
        return json
    }

    public func stop() async throws {
        kill(pid, SIGTERM)
        try await Harness.eventually("Alertmanager to stop") { [pid] in try Harness.reap(pid) != nil }
        try? FileManager.default.removeItem(atPath: dir)
    }

    deinit { kill(pid, SIGKILL) }
}

/// An HTTP endpoint in the test process that keeps every JSON body POSTed to it: Alertmanager's webhook receiver, or a
/// kiosk webhook sink. `answer` sets the status it replies with (a sink that fails), `hang` makes it never answer.
public final class WebhookReceiver: Sendable {
    public struct Received: Sendable {
        public var at: Date
        public var body: Data
        /// The request's Authorization header, if it had one.
        public var authorization: String?

        /// The body as a JSON object (Alertmanager's notification, a kiosk webhook document).
        public var json: [String: Any] {
            ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:]
        }
    }

    final class State: Sendable {
        let store = Mutex<[Received]>([])
        let status = Mutex<Int>(200)
        let hanging = Mutex(false)
        let task = Mutex<Task<Void, any Error>?>(nil)
    }

    private let state = State()
    public let port: Int

    public var url: URL { URL(string: "http://127.0.0.1:\(port)/hook")! }

    public init() async throws {
        port = try Harness.freePort()
        let router = Router()
        let state = state
        router.post("/hook") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let received = Received(
                at: Date(), body: Data(body.readableBytesView), authorization: request.headers[.authorization])
            state.store.withLock { $0.append(received) }
            while state.hanging.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(50)) }
            return Response(status: .init(code: state.status.withLock { $0 }))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        state.task.withLock { $0 = Task { try await app.runService() } }
        try await Harness.eventually("the webhook receiver on \(port)") { [port] in
            (try? Harness.tcpHTTP(port: port, "GET /nothing HTTP/1.0\r\n\r\n")) != nil
        }
    }

    public var received: [Received] { state.store.withLock { $0 } }

    public func answer(_ code: Int) { state.status.withLock { $0 = code } }
    public func hang(_ on: Bool) { state.hanging.withLock { $0 = on } }

    public func stop() { state.task.withLock { $0?.cancel() } }

    /// Alertmanager's notifications: (status, alertname, labels) of each alert in each notification, in order.
    public var notifications: [(status: String, labels: [String: String], received: Date)] {
        received.flatMap { r -> [(status: String, labels: [String: String], received: Date)] in
            let alerts = (r.json["alerts"] as? [[String: Any]]) ?? []
            return alerts.map {
                (($0["status"] as? String) ?? "", ($0["labels"] as? [String: String]) ?? [:], r.at)
            }
        }
    }
}
