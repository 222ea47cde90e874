import CentralAPI
import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// Fault injection for the kiosk operations (`/v1/…`), set through `PUT /admin/behaviour`: latency, 503 with Retry-After,
/// a dropped connection, a hang, a garbage or oversized body, or a skewed clock; all /v1/ paths or those under `pathPrefix`. Tests and the demo use it to show the kiosk riding out a bad central.
enum Behaviour {
    static let current = Mutex(Components.Schemas.Behaviour())
}

struct BehaviourMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        let behaviour = Behaviour.current.withLock { $0 }
        guard request.uri.path.hasPrefix("/v1/"), request.uri.path.hasPrefix(behaviour.pathPrefix ?? "/v1/") else {
            return try await next(request, context)
        }
        if let millis = behaviour.latencyMillis, millis > 0 { try await Task.sleep(for: .milliseconds(millis)) }
        if behaviour.hang == true {
            // Said, so that a test knows the request is in the server before it signals it. Not its path: a pickup's
            // path holds the pickup code.
            context.logger.notice("behaviour: holding a request (hang)")
            try await Task.sleep(for: .seconds(3600))
        }
        if let retry = behaviour.unavailableRetryAfter {
            let problem = #"{"type":"about:blank","title":"Unavailable","status":503,"detail":"injected by /admin/behaviour"}"#
            var headers: HTTPFields = [.contentType: "application/problem+json", .retryAfter: "\(retry)"]
            if let skew = behaviour.clockSkewSeconds {
                // RFC 9110 allows an HTTP date; from a server whose clock is off, it is off by as much. (Hummingbird writes
                // the Date header itself, from the machine's clock, so that one stays true.)
                let now = Date().addingTimeInterval(Double(skew))
                headers[.retryAfter] = Self.httpDate(now.addingTimeInterval(Double(retry)))
            }
            return Response(
                status: .serviceUnavailable, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: problem)))
        }
        if behaviour.refuse == true {
            let problem = #"{"type":"about:blank","title":"Refused","status":422,"detail":"injected by /admin/behaviour"}"#
            return Response(
                status: .unprocessableContent, headers: [.contentType: "application/problem+json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: problem)))
        }
        if behaviour.garbage == true {
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: [0x7B, 0x00, 0xFF, 0x22, 0x3C, 0x3C])))
        }
        if behaviour.oversized == true {
            // 8 MiB of a JSON string (or of a "PDF" for a document), streamed: the kiosk must stop reading, not buffer it.
            let document = request.uri.path.hasPrefix("/v1/documents/")
            return Response(
                status: .ok, headers: [.contentType: document ? "application/pdf" : "application/json"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: document ? "%PDF-1.5\n" : "{\"caseId\":\""))
                    let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 * 1024)
                    for _ in 0..<128 { try await writer.write(chunk) }
                    try await writer.write(ByteBuffer(string: "\"}"))
                    try await writer.finish(nil)
                })
        }
        if behaviour.dropConnection == true {
            // A body that fails after the head went out: the client sees the connection close mid-answer.
            return Response(
                status: .ok, headers: [.contentType: "application/json", .contentLength: "1000"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "{\"caseId\":"))
                    throw DroppedOnPurpose()
                })
        }
        return try await next(request, context)
    }

    struct DroppedOnPurpose: Error {}

    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}

/// Bearer tokens: `/v1/…` takes a kiosk token, `/admin/…` the admin token. Compared in constant time.
struct BearerMiddleware<Context: RequestContext>: RouterMiddleware {
    let kioskTokens: [String]
    let adminToken: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        let expected = request.uri.path.hasPrefix("/admin/") ? [adminToken] : kioskTokens
        let header = request.headers[.authorization] ?? ""
        guard header.hasPrefix("Bearer "), expected.contains(where: { Self.same(String(header.dropFirst(7)), $0) }) else {
            let problem =
                #"{"type":"about:blank","title":"Unauthorized","status":401,"detail":"a valid bearer token is required"}"#
            return Response(
                status: .unauthorized, headers: [.contentType: "application/problem+json", .wwwAuthenticate: "Bearer"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: problem)))
        }
        return try await next(request, context)
    }

    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count, !y.isEmpty else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
