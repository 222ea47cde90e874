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
