import AsyncHTTPClient
import CentralAPI
public import Foundation
import HTTPTypes
public import KioskCore
import NIOCore
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime

/// The central API over HTTP, through the client generated from the contract.
///
/// Every failure becomes a ``CentralAnswer`` with one line and no personal data: refused (409, 422) when retrying cannot help,
/// unavailable (with the server's Retry-After) otherwise. Garbage, wrong content types and oversized bodies count as unavailable.
public struct HTTPCentral: CentralService {
    let client: Client
    let kioskID: String

    /// - parameters:
    ///   - url: the central's base URL.
    ///   - token: this kiosk's bearer token.
    ///   - timeout: how long one call may take, connect to last byte.
    public init(url: URL, kioskID: String, token: String, timeout: Duration = .seconds(10)) {
        self.kioskID = kioskID
        let milliseconds = Int64(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        client = Client(
            serverURL: url,
            transport: AsyncHTTPClientTransport(configuration: .init(client: .shared, timeout: .milliseconds(milliseconds))),
            middlewares: [BearerToken(token: token)])
    }

    public func send(_ request: ServiceRequest, delivery: Delivery) async -> CentralAnswer {
        do {
            switch request {
            case .extractRequest(let extract): return try await submit(extract, delivery)
            case .lookupPickup(let code):
                switch try await client.lookupPickup(path: .init(code: code)) {
                case .ok(let ok):
                    return .answered(ServiceResult(.found, fields: ["documentKind": try ok.body.json.documentKind.rawValue]))
                case .notFound: return .answered(ServiceResult(.notFound))
                case .default(let status, _): return Self.status(status)
                }
            case .collectPickup(let code, let identity):
                guard let identity else { return .answered(ServiceResult(.mismatch)) }
                let evidence = Components.Schemas.IdentityEvidence(kioskId: kioskID, identity: Self.wire(identity))
                switch try await client.collectPickup(
                    path: .init(code: code), headers: .init(idempotencyKey: delivery.idempotencyKey), body: .json(evidence))
                {
                case .ok(let ok):
                    let collection = try ok.body.json
                    guard collection.outcome == .collected else { return .answered(ServiceResult(.mismatch)) }
                    return .answered(
                        ServiceResult(
                            .collected, fields: ["counter": collection.counter ?? "", "ticket": collection.ticket ?? ""]))
                case .notFound: return .answered(ServiceResult(.mismatch))
                case .conflict(let problem): return .refused(Self.line(problem))
                case .serviceUnavailable(let unavailable): return Self.unavailable(unavailable)
                case .default(let status, _): return Self.status(status)
                }
            case .callStaff(let call):
                let body = Components.Schemas.StaffCall(
                    kioskId: kioskID, flow: call.flow, step: call.step, language: call.language == .nl ? .nl : .en)
                switch try await client.callStaff(headers: .init(idempotencyKey: delivery.idempotencyKey), body: .json(body)) {
                case .accepted: return .answered(ServiceResult(.called))
                case .serviceUnavailable(let unavailable): return Self.unavailable(unavailable)
                case .default(let status, _): return Self.status(status)
                }
            }
        } catch {
            return .unavailable(Self.describe(error), retryAfter: nil)
        }
    }

    func submit(_ extract: ExtractRequest, _ delivery: Delivery) async throws -> CentralAnswer {
        guard let identity = extract.identity, let bsn = extract.bsn,
            let product = Components.Schemas.ExtractRequest.ProductPayload(rawValue: extract.product)
        else { return .answered(ServiceResult(.rejected)) }
        let body = Components.Schemas.ExtractRequest(
            reference: delivery.reference, kioskId: kioskID, product: product, feeCents: extract.feeCents, bsn: bsn,
            identity: Self.wire(identity), language: extract.language == .nl ? .nl : .en)
        switch try await client.submitExtractRequest(headers: .init(idempotencyKey: delivery.idempotencyKey), body: .json(body)) {
        case .created(let created):
            let answer = try created.body.json
            var fields = ["caseId": answer.caseId, "reference": answer.reference]
            fields["documentId"] = answer.documentId
            let outcome: ServiceOutcome =
                switch answer.status {
                case .produced: .accepted
                case .queued: .queued
                case .rejected: .rejected
                }
            return .answered(ServiceResult(outcome, fields: fields))
        case .conflict(let problem), .unprocessableContent(let problem): return .refused(Self.line(problem))
        case .serviceUnavailable(let unavailable): return Self.unavailable(unavailable)
        case .default(let status, _): return Self.status(status)
        }
    }

    // MARK: - Mapping

    static func wire(_ identity: Identity) -> Components.Schemas.Identity {
        .init(
            documentCode: identity.documentCode, issuer: identity.issuer, documentNumber: identity.documentNumber,
            surname: identity.surname, givenNames: identity.givenNames, nationality: identity.nationality,
            birthDate: identity.birthDate, sex: identity.sex, expiryDate: identity.expiryDate)
    }

    static func line(_ problem: Components.Responses.Problem) -> String {
        guard case .applicationProblemJson(let body) = problem.body else { return "refused" }
        let text = [body.title, body.detail].compactMap { $0 }.joined(separator: ": ")
        return String(text.prefix(200))
    }

    static func unavailable(_ response: Components.Responses.Unavailable) -> CentralAnswer {
        .unavailable("central answered 503", retryAfter: response.headers.retryAfter.map { .seconds(max(0, min($0, 3600))) })
    }

    static func status(_ status: Int) -> CentralAnswer {
        status == 409 || status == 422
            ? .refused("central answered \(status)") : .unavailable("central answered \(status)", retryAfter: nil)
    }

    /// One line for the log: the kind of failure, never a body (it could echo personal data).
    static func describe(_ error: any Error) -> String {
        if let client = error as? ClientError {
            if let http = client.underlyingError as? HTTPClientError { return "network: \(http)" }
            if let io = client.underlyingError as? IOError { return "network: \(io)" }
            if client.underlyingError is DecodingError {
                return "garbage from the central (undecodable \(client.operationID) answer)"
            }
            return "\(client.operationID) failed: \(type(of: client.underlyingError))"
        }
        return "\(type(of: error))"
    }
}

/// Adds this kiosk's bearer token to every call.
struct BearerToken: ClientMiddleware {
    let token: String

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Bearer \(token)"
        return try await next(request, body, baseURL)
    }
}
