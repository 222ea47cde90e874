import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import OpenAPIRuntime

/// Every answer kiosk-central gives is in its contract: a request the generated code cannot read (a missing or malformed
/// body, a wrong type, an unknown enum value, a missing header, a wrong Content-Type) is a 4xx problem document, not an
/// empty 500; a method the contract does not declare on a path it does is 405 with `Allow`; anything else that goes wrong
/// is a 500 problem document and one log line.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    /// No request of the contract comes near this.
    static var maxBody: Int { 8 << 20 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        var request = request
        if request.method == .post || request.method == .put {
            // The contract has no nullable property, and the generated decoder would take a null as an absent one.
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: Self.maxBody)
            } catch {
                return Self.problem(.contentTooLarge, "Body too large", "at most \(Self.maxBody) bytes")
            }
            if let json = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView), options: [.fragmentsAllowed]),
                Self.holdsNull(json)
            {
                return Self.problem(.badRequest, "Bad request", "a property of this contract is null; none may be")
            }
            request.body = RequestBody(buffer: buffer)
        }
        do {
            let response = try await next(request, context)
            if response.status == .notFound, let allowed = ContractRoutes.methods(for: request.uri.path),
                !allowed.contains(request.method)
            {
                return Self.methodNotAllowed(allowed)
            }
            return response
        } catch let error as ServerError {
            // No operation input: the request could not be read. Otherwise the handler failed after reading it.
            guard error.operationInput == nil else {
                logger.error("kiosk-central: \(error.operationID) failed: \(error.underlyingError)")
                return Self.problem(.internalServerError, "Internal error", "the server failed; try again later")
            }
            let status: HTTPResponse.Status = (400..<500).contains(error.httpStatus.code) ? error.httpStatus : .badRequest
            return Self.problem(status, "Bad request", Self.clean(error.causeDescription))
        } catch let error as HTTPError {
            if error.status == .notFound, let allowed = ContractRoutes.methods(for: request.uri.path),
                !allowed.contains(request.method)
            {
                return Self.methodNotAllowed(allowed)
            }
            return Self.problem(error.status, error.status.reasonPhrase, error.body.map(Self.clean))
        }
    }

    /// Whether a property the contract declares is null (what is inside properties it does not declare is not its
    /// business: those are ignored).
    static func holdsNull(_ value: Any) -> Bool {
        switch value {
        case let array as [Any]: array.contains(where: holdsNull)
        case let object as [String: Any]:
            object.contains { key, value in
                ContractRoutes.propertyNames.contains(key) && (value is NSNull || holdsNull(value))
            }
        default: false
        }
    }

    static func methodNotAllowed(_ allowed: [HTTPRequest.Method]) -> Response {
        var response = problem(
            .methodNotAllowed, "Method not allowed", "this path takes \(allowed.map(\.rawValue).joined(separator: ", "))")
        response.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        return response
    }

    /// An RFC 9457 problem document.
    static func problem(_ status: HTTPResponse.Status, _ title: String, _ detail: String?) -> Response {
        var body: [String: Any] = ["type": "about:blank", "title": title, "status": status.code]
        if let detail { body["detail"] = detail }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        return Response(
            status: status, headers: [.contentType: "application/problem+json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// What the decoder said, as one short printable line (it names fields and types, never values).
    static func clean(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }.prefix(300).map(Character.init))
    }
}
