package import AsyncHTTPClient
package import Foundation
package import NIOCore
package import NIOHTTP1
import NIOSSL

/// One HTTP exchange with a back-office API: JSON in, JSON out, a deadline, and a cap on what is read.
///
/// Every answer is read whole (at most ``maxAnswerBytes``) before it is judged; a status the caller did not list, or a
/// body that does not decode, becomes a ``BackOfficeError`` with the API and call in its context.
package struct BackOfficeHTTP: Sendable {
    package let client: HTTPClient
    package let timeout: TimeAmount
    package static let maxAnswerBytes = 8 << 20

    package init(client: HTTPClient, timeoutSeconds: Int) {
        self.client = client
        self.timeout = .seconds(Int64(timeoutSeconds))
    }

    package struct Answer: Sendable {
        package let status: Int
        package let body: Data
    }

    /// Sends `body` (encoded as JSON when given) and returns the answer whatever its status.
    package func send(
        _ method: HTTPMethod, _ url: String, headers: [(String, String)], body: Data? = nil, call: String
    ) async throws(BackOfficeError) -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await client.execute(request, timeout: timeout)
            let buffer = try await response.body.collect(upTo: Self.maxAnswerBytes)
            return Answer(status: Int(response.status.code), body: Data(buffer.readableBytesView))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw BackOfficeError(.unreachable, call: call, "no answer within \(timeout.nanoseconds / 1_000_000_000) s")
        } catch let error as NIOTooManyBytesError {
            throw BackOfficeError(.badAnswer, call: call, "an answer larger than \(error.maxBytes ?? Self.maxAnswerBytes) bytes")
        } catch let error as NIOSSLError {
            throw BackOfficeError(.credentials, call: call, "the TLS handshake failed: \(Self.clean("\(error)"))")
        } catch let error as BoringSSLError {
            // A client certificate the server refused, or a server certificate not trusted: configuration, not chance.
            throw BackOfficeError(.credentials, call: call, "the TLS handshake failed: \(Self.clean("\(error)"))")
        } catch let error as HTTPClientError {
            // Its short description has no associated values by design.
            throw BackOfficeError(.unreachable, call: call, error.shortDescription)
        } catch {
            // Only the kind of error: a description may carry the URL, whose query can hold a BSN or a pickup code.
            throw BackOfficeError(.unreachable, call: call, "\(type(of: error))")
        }
    }

    /// The answer decoded as `T` when its status is one of `expected`; otherwise the error its status and problem say.
    package func decode<T: Decodable>(_ type: T.Type, _ answer: Answer, expected: Set<Int>, call: String)
        throws(BackOfficeError) -> T
    {
        guard expected.contains(answer.status) else { throw Self.failure(answer, call: call) }
        do {
            return try JSONDecoder().decode(T.self, from: answer.body)
        } catch {
            throw BackOfficeError(.badAnswer, call: call, "the \(answer.status) answer is not a \(T.self): \(Self.brief(error))")
        }
    }

    /// The error for an answer that was not a success: its status, and for a 400 the codes of its `invalidParams`.
    package static func failure(_ answer: Answer, call: String) -> BackOfficeError {
        let problem = try? JSONDecoder().decode(Problem.self, from: answer.body)
        let codes = (problem?.invalidParams ?? []).map(\.code)
        let said = [problem?.code, problem?.title].compactMap { $0 }.joined(separator: ": ")
        let line =
            "answered \(answer.status)" + (said.isEmpty ? "" : " (\(Self.clean(said)))")
            + (codes.isEmpty ? "" : " [\(codes.map(clean).joined(separator: ", "))]")
        switch answer.status {
        case 400: return BackOfficeError(.invalid(codes: codes), call: call, line)
        case 401, 403: return BackOfficeError(.credentials, call: call, line)
        default: return BackOfficeError(.status(answer.status), call: call, line)
        }
    }

    /// A server's words in a log line: printable ASCII only, and short.
    static func clean(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }.prefix(120).map(Character.init))
    }

    static func brief(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            "no \((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "a wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty: "not JSON"
        case DecodingError.dataCorrupted(let context):
            "a bad value at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: "undecodable"
        }
    }

    /// RFC 7807 as the ZGW APIs fill it in.
    struct Problem: Decodable {
        var code: String?
        var title: String?
        var invalidParams: [InvalidParam]?
        struct InvalidParam: Decodable {
            var name: String?
            var code: String
        }
    }
}
