import AsyncHTTPClient
public import Foundation
public import KioskCore
import NIOCore
import NIOHTTP1

/// Talks to kioskd's control socket (HTTP with JSON over a Unix socket), for `kioskctl` and the tests.
///
/// Every failure becomes a ``ControlError`` with one line for the technician, such as "kioskd is not running at PATH".
public struct ControlClient: Sendable {
    public let socketPath: String

    public init(socketPath: String) {
        self.socketPath = socketPath
    }

    /// Where kioskctl looks when no `--socket` is given: `KIOSK_SOCKET`, then the demo's socket under the current folder, then
    /// the production path.
    public static func defaultSocketPath(environment: [String: String]? = nil) -> String {
        if let path = (environment ?? ProcessInfo.processInfo.environment)["KIOSK_SOCKET"], !path.isEmpty { return path }
        let demo = ".kiosk-demo/kioskd.sock"
        if FileManager.default.fileExists(atPath: demo) { return demo }
        return "/run/kioskd/kioskd.sock"
    }

    public func status() async throws(ControlError) -> StatusReport {
        try await call(.GET, "/v1/status", body: Optional<String>.none)
    }

    public func printer() async throws(ControlError) -> PrinterReport {
        try await call(.GET, "/v1/printer", body: Optional<String>.none)
    }

    /// Says a test sentence through the kiosk's speech output, whatever the speech mode.
    public func speechTest() async throws(ControlError) -> ControlReply {
        try await call(.POST, "/v1/speech/test", body: Optional<String>.none)
    }

    /// Prints a test ticket and says how it went.
    public func printerTest() async throws(ControlError) -> ControlReply {
        try await call(.POST, "/v1/printer/test", body: Optional<String>.none)
    }

    public func payment() async throws(ControlError) -> PaymentReport {
        try await call(.GET, "/v1/payment", body: Optional<String>.none)
    }

    public func paymentLast() async throws(ControlError) -> ControlReply {
        try await call(.GET, "/v1/payment/last", body: Optional<String>.none)
    }

    public func paymentTest(amountCents: Int) async throws(ControlError) -> ControlReply {
        try await call(.POST, "/v1/payment/test", body: PaymentTestRequest(amountCents: amountCents))
    }

    public func paymentCloseDay() async throws(ControlError) -> DayClosureReport {
        try await call(.POST, "/v1/payment/close-day", body: Optional<String>.none)
    }

    public func usb() async throws(ControlError) -> [USBReport] {
        try await call(.GET, "/v1/usb", body: Optional<String>.none)
    }

    public func queue() async throws(ControlError) -> [QueueEntry] {
        try await call(.GET, "/v1/queue", body: Optional<String>.none)
    }

    public func queueEntry(_ id: Int64) async throws(ControlError) -> QueueEntry {
        try await call(.GET, "/v1/queue/\(id)", body: Optional<String>.none)
    }

    /// `POST` (retry) or `DELETE` (drop) on one entry.
    public func queueAction(_ id: Int64, drop: Bool) async throws(ControlError) -> ControlReply {
        try await call(drop ? .DELETE : .POST, drop ? "/v1/queue/\(id)" : "/v1/queue/\(id)/retry", body: Optional<String>.none)
    }

    public func send<Body: Encodable>(_ path: String, _ body: Body) async throws(ControlError) -> ControlReply {
        try await call(.POST, path, body: body)
    }

    /// The screen the resident sees now, as PNG.
    /// Open faults, or with `all` the history, newest first.
    public func faults(all: Bool = false, limit: Int = 100) async throws(ControlError) -> [FaultBook.Record] {
        try await call(.GET, all ? "/v1/faults?all=1&limit=\(limit)" : "/v1/faults", body: Optional<String>.none)
    }

    /// The funnel's counts since `since` (YYYY-MM-DD), or of every day kept.
    public func funnel(since: String?) async throws(ControlError) -> FunnelReport {
        try await call(.GET, "/v1/funnel" + (since.map { "?since=\($0)" } ?? ""), body: Optional<String>.none)
    }

    /// Runs the health checks now.
    public func health() async throws(ControlError) -> HealthReport {
        try await call(.POST, "/v1/health", body: Optional<String>.none)
    }

    /// Log lines after `after`.
    public func logs(after: Int = 0) async throws(ControlError) -> [LogLine] {
        try await call(.GET, "/v1/logs?after=\(after)", body: Optional<String>.none)
    }

    /// kioskd's config file with secrets blanked.
    public func configText() async throws(ControlError) -> String {
        let reply: ControlReply = try await call(.GET, "/v1/diag/config", body: Optional<String>.none)
        return reply.message
    }

    public func screenshot() async throws(ControlError) -> Data {
        try await exchange(.GET, "/v1/screenshot", body: Optional<String>.none, limit: 32 << 20)
    }

    func call<Body: Encodable, Answer: Decodable>(_ method: HTTPMethod, _ path: String, body: Body?) async throws(ControlError)
        -> Answer
    {
        let data = try await exchange(method, path, body: body, limit: 1 << 20)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let answer = try? decoder.decode(Answer.self, from: data) else {
            throw ControlError("kioskd at \(socketPath) sent an answer this kioskctl does not understand (version mismatch?)")
        }
        return answer
    }

    /// One request; the answer's bytes when kioskd says 200, its one-line message otherwise.
    func exchange<Body: Encodable>(_ method: HTTPMethod, _ path: String, body: Body?, limit: Int) async throws(ControlError)
        -> Data
    {
        guard FileManager.default.fileExists(atPath: socketPath) else { throw ControlError.notRunning(socketPath) }
        switch SocketProbe.check(socketPath) {
        case .listening: break
        case .refused: throw ControlError.notRunning(socketPath, stale: true)
        case .unusable: throw ControlError("cannot connect to \(socketPath): \(String(cString: strerror(errno)))")
        }
        guard let url = URL(httpURLWithSocketPath: socketPath, uri: path) else {
            throw ControlError("the socket path '\(socketPath)' cannot be used (longer than 107 bytes?)")
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        if let body {
            guard let data = try? JSONEncoder().encode(body) else { throw ControlError("could not encode the request") }
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: data))
        }
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            bytes = try await response.body.collect(upTo: limit)
        } catch let error as HTTPClientError where error == .connectTimeout || error == .deadlineExceeded {
            throw ControlError("kioskd at \(socketPath) did not answer within 10 s")
        } catch {
            throw ControlError.notRunning(socketPath, stale: true)
        }
        let data = Data(bytes.readableBytesView)
        guard response.status == .ok else {
            let reply = try? JSONDecoder().decode(ControlReply.self, from: data)
            throw ControlError(
                reply?.message ?? "kioskd answered \(response.status.code) \(response.status.reasonPhrase)",
                kind: response.status == .notFound ? .notFound : .other)
        }
        return data
    }
}

/// A control-socket failure, as one line a technician can act on.
public struct ControlError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for kioskctl's exit status (after systemctl: 3 not running, 4 no such thing, 1 anything else).
    public enum Kind: Sendable { case notRunning, notFound, other }

    public let description: String
    public let kind: Kind

    public init(_ message: String, kind: Kind = .other) {
        description = message
        self.kind = kind
    }

    /// The exit status kioskctl ends with.
    public var exitStatus: Int32 {
        switch kind {
        case .notRunning: 3
        case .notFound: 4
        case .other: 1
        }
    }

    static func notRunning(_ path: String, stale: Bool = false) -> ControlError {
        ControlError(
            "kioskd is not running at \(path)" + (stale ? " (the socket is there but nobody answers)" : "")
                + "; start it, or point kioskctl at it with --socket or KIOSK_SOCKET", kind: .notRunning)
    }
}
