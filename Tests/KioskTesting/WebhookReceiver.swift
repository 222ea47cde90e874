import AsyncHTTPClient
public import Foundation
import Hummingbird
import NIOHTTP1
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

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
        /// While on, each request is held; the held ones go on when it is turned off (or the receiver stops).
        let hanging = Mutex<(on: Bool, held: [CheckedContinuation<Void, Never>])>((false, []))

        func holdWhileHanging() async {
            await withCheckedContinuation { (going: CheckedContinuation<Void, Never>) in
                let held = hanging.withLock { hanging -> Bool in
                    if hanging.on { hanging.held.append(going) }
                    return hanging.on
                }
                if !held { going.resume() }
            }
        }

        func setHanging(_ on: Bool) {
            let released = hanging.withLock { hanging -> [CheckedContinuation<Void, Never>] in
                hanging.on = on
                defer { if !on { hanging.held = [] } }
                return on ? [] : hanging.held
            }
            for going in released { going.resume() }
        }
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
            await state.holdWhileHanging()
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
    public func hang(_ on: Bool) { state.setHanging(on) }

    public func stop() {
        state.setHanging(false)
        state.task.withLock { $0?.cancel() }
    }

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
