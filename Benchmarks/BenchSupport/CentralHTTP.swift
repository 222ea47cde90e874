import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1

/// kiosk-central over plain HTTP and JSON, as the benchmarks reach it: on AsyncHTTPClient, the HTTP client the kiosk's
/// own central client runs on, with a bearer token. The generated OpenAPI client stays inside the kiosk's package.
public struct CentralHTTP: Sendable {
    /// A call that did not get the status it expected.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let url: URL
    public let token: String
    let timeout: TimeAmount

    public init(url: URL, token: String, timeoutSeconds: Int64 = 30) {
        self.url = url
        self.token = token
        timeout = .seconds(timeoutSeconds)
    }

    /// GET `path`, expecting 200; the body.
    public func get(_ path: String) async throws -> Data {
        try await send(HTTPClientRequest(url: url.absoluteString + path), expect: 200)
    }

    /// POST `body` as JSON to `path` with an Idempotency-Key, expecting `status`; the answer's body.
    public func post(_ path: String, json body: some Encodable, idempotencyKey: String, expect status: Int = 201)
        async throws -> Data
    {
        var request = HTTPClientRequest(url: url.absoluteString + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: idempotencyKey)
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        return try await send(request, expect: status)
    }

    private func send(_ request: HTTPClientRequest, expect status: Int) async throws -> Data {
        var request = request
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: 8 << 20)
        guard response.status.code == status else {
            throw Failure(description: "\(request.method) \(request.url): \(response.status.code), not \(status)")
        }
        return Data(body.readableBytesView)
    }
}
