import AsyncHTTPClient
import CentralAPI
public import Foundation
package import HTTPTypes
public import KioskCore
import NIOCore
import OpenAPIAsyncHTTPClient
package import OpenAPIRuntime

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
    ///   - caBundle: a PEM file of the CAs to trust for `https`, instead of the system's.
    public init(url: URL, kioskID: String, token: String, timeout: Duration = .seconds(10), caBundle: String? = nil)
        throws(ClientTLSError)
    {
        self.kioskID = kioskID
        let milliseconds = Int64(timeout.seconds * 1000)
        client = Client(
            serverURL: url,
            transport: AsyncHTTPClientTransport(
                configuration: .init(client: try ClientTLS(caBundle: caBundle).client(), timeout: .milliseconds(milliseconds))),
            middlewares: [BearerToken(token: token), BodyLimit(maxBytes: 4 << 20)])
    }

    public func send(_ request: ServiceRequest, delivery: Delivery) async -> CentralAnswer {
        do {
            switch request {
            case .extractRequest(let extract): return try await submit(extract, delivery)
            case .lookupPickup(let code):
                switch try await client.lookupPickup(path: .init(code: code)) {
                case .ok(let ok):
                    let pickup = try ok.body.json
                    if pickup.locked == true { return .answered(ServiceResult(.locked)) }
                    return .answered(ServiceResult(.found, fields: ["documentKind": pickup.documentKind.rawValue]))
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
                    switch collection.outcome {
                    case .collected: break
                    case .mismatch: return .answered(ServiceResult(.mismatch))
                    case .locked: return .answered(ServiceResult(.locked))
                    }
                    return .answered(
                        ServiceResult(
                            .collected, fields: ["counter": collection.counter ?? "", "ticket": collection.ticket ?? ""]))
                case .notFound: return .answered(ServiceResult(.mismatch))
                case .conflict(let problem): return .refused(Self.line(problem))
                case .serviceUnavailable(let unavailable): return Self.unavailable(unavailable)
                case .default(let status, _): return Self.status(status)
                }
            case .reportFault(let report): return try await self.report(report, delivery)
            case .deliverAlert(let batch): return .refused("alerts for sink \(batch.sink) are not for the central")
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

    static func wire(_ payment: PaymentRecord) -> Components.Schemas.Payment {
        Components.Schemas.Payment(
            reference: payment.reference, transactionId: payment.transactionID, terminalId: payment.terminalID,
            amountCents: payment.amountCents, currency: .eur, brand: payment.brand, time: payment.time, day: payment.day)
    }

    public func paymentDay(_ day: String) async -> PaymentDayAnswer {
        do {
            switch try await client.getPaymentDay(path: .init(kioskId: kioskID, day: day)) {
            case .ok(let ok):
                let recorded = try ok.body.json
                return .recorded(count: recorded.count, amountCents: recorded.amountCents)
            case .default(let status, _):
                return .unavailable("HTTP \(status)")
            }
        } catch {
            return .unavailable(Self.describe(error))
        }
    }

    func submit(_ extract: ExtractRequest, _ delivery: Delivery) async throws -> CentralAnswer {
        guard let identity = extract.identity, let bsn = extract.bsn,
            let product = Components.Schemas.ExtractRequest.ProductPayload(rawValue: extract.product)
        else { return .answered(ServiceResult(.rejected)) }
        let body = Components.Schemas.ExtractRequest(
            reference: delivery.reference, kioskId: kioskID, product: product, feeCents: extract.feeCents, bsn: bsn,
            // A request queued before the kiosk said where its BSN came from counts as typed: the central then checks it.
            bsnSource: extract.bsnSource == .chip ? .chip : .typed, identity: Self.wire(identity),
            language: extract.language == .nl ? .nl : .en, payment: extract.payment.map(Self.wire))
        switch try await client.submitExtractRequest(headers: .init(idempotencyKey: delivery.idempotencyKey), body: .json(body)) {
        case .created(let created):
            let answer = try created.body.json
            var fields = ["caseId": answer.caseId, "reference": answer.reference]
            switch answer.status {
            case .rejected: return .answered(ServiceResult(.rejected, fields: fields))
            case .queued: return .answered(ServiceResult(.queued, fields: fields))
            case .produced:
                guard let documentID = answer.documentId else { return .answered(ServiceResult(.queued, fields: fields)) }
                fields["documentId"] = documentID
                do {
                    let document = try await fetch(documentID)
                    return .answered(ServiceResult(.accepted, fields: fields), document: document)
                } catch {
                    // The case exists and the central has the extract; the resident gets a receipt instead of the paper.
                    fields[ServiceResult.documentProblem] = Self.describe(error)
                    return .answered(ServiceResult(.queued, fields: fields))
                }
            }
        case .conflict(let problem), .unprocessableContent(let problem): return .refused(Self.line(problem))
        case .serviceUnavailable(let unavailable): return Self.unavailable(unavailable)
        case .default(let status, _): return Self.status(status)
        }
    }

    /// A fault raised or resolved. Its key is stable per kiosk, device and code, so the central keeps one record per fault.
    func report(_ report: FaultReport, _ delivery: Delivery) async throws -> CentralAnswer {
        let key = "\(kioskID).\(report.fault.key)"
        let at = Date(timeIntervalSince1970: report.at)
        let headers = Operations.RaiseFault.Input.Headers(idempotencyKey: delivery.idempotencyKey)
        switch report.change {
        case .raised:
            let fault = report.fault
            let body = Components.Schemas.Fault(
                key: key, kioskId: kioskID, device: fault.device, code: fault.code,
                severity: .init(rawValue: fault.severity.rawValue) ?? .warning,
                action: .init(rawValue: fault.action.rawValue) ?? .maintenance, summary: fault.summary, firstSeen: at)
            switch try await client.raiseFault(headers: headers, body: .json(body)) {
            case .accepted: return .answered(ServiceResult(.accepted))
            case .unprocessableContent(let problem): return .refused(Self.line(problem))
            case .serviceUnavailable(let unavailable): return Self.unavailable(unavailable)
            case .default(let status, _): return Self.status(status)
            }
        case .resolved:
            switch try await client.resolveFault(
                path: .init(faultKey: key), headers: .init(idempotencyKey: delivery.idempotencyKey),
                body: .json(.init(resolvedAt: at)))
            {
            // Not found: the raise never arrived (it was refused), so there is nothing left to resolve.
            case .accepted, .notFound: return .answered(ServiceResult(.accepted))
            case .serviceUnavailable(let unavailable): return Self.unavailable(unavailable)
            case .default(let status, _): return Self.status(status)
            }
        }
    }

    /// Downloads a produced extract and checks that it is a whole PDF before any printer sees it.
    func fetch(_ documentID: String) async throws -> ProducedDocument {
        switch try await client.getDocument(path: .init(documentId: documentID)) {
        case .ok(let ok):
            let pdf = try await Data(collecting: try ok.body.pdf, upTo: 4 << 20)
            guard PDFBytes.looksWhole(pdf) else { throw CentralError("the document is not a PDF") }
            return ProducedDocument(id: documentID, pdf: pdf)
        case .notFound: throw CentralError("the document is gone (404)")
        case .default(let status, _): throw CentralError("the document download answered \(status)")
        }
    }

    // MARK: - Mapping

    static func wire(_ identity: Identity) -> Components.Schemas.Identity {
        .init(
            documentCode: identity.documentCode, issuer: identity.issuer, documentNumber: identity.documentNumber,
            surname: identity.surname, givenNames: identity.givenNames, nationality: identity.nationality,
            birthDate: identity.birthDate, sex: identity.sex, expiryDate: identity.expiryDate,
            personalNumber: identity.personalNumber)
    }

    static func line(_ problem: Components.Responses.Problem) -> String {
        guard case .applicationProblemJson(let body) = problem.body else { return "refused" }
        return clean([body.title, body.detail].compactMap { $0 }.joined(separator: ": "))
    }

    /// Bytes from outside: no control characters (newlines, terminal escapes) reach a log line, and at most 200 of them.
    static func clean(_ text: String) -> String {
        String(
            String(String.UnicodeScalarView(text.unicodeScalars.filter { !$0.properties.generalCategory.isControl })).prefix(200))
    }

    static func unavailable(_ response: Components.Responses.Unavailable) -> CentralAnswer {
        .unavailable(
            "central answered 503",
            retryAfter: RetryAfter.delay(response.headers.retryAfter, serverDate: response.headers.date, now: Date()))
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
            if let tls = ClientTLS.describe(client.underlyingError) { return tls }
            if client.underlyingError is DecodingError {
                return "garbage from the central (undecodable \(client.operationID) answer)"
            }
            if let limit = client.underlyingError as? BodyLimit.TooLarge { return "\(limit)" }
            // Mostly the runtime's own errors: an unexpected content type or status. Its text is from outside: one line.
            return "\(client.operationID): \(Self.clean(client.causeDescription))"
        }
        if let error = error as? CentralError { return error.description }
        if let limit = error as? BodyLimit.TooLarge { return "\(limit)" }
        return "\(type(of: error))"
    }
}

/// A central answer that decoded but makes no sense: one line, no personal data.
struct CentralError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension ServiceResult {
    /// The field that says why a produced extract could not be fetched; the gateway logs it and removes it.
    public static let documentProblem = "documentProblem"
}

/// Stops reading an answer past `maxBytes`: the generated code would otherwise collect any body whole, and a hostile or broken
/// central could fill the kiosk's memory. Checked on Content-Length first, then while the body streams.
struct BodyLimit: ClientMiddleware {
    let maxBytes: Int

    struct TooLarge: Error, CustomStringConvertible {
        let limit: Int
        var description: String { "the central's answer is larger than \(limit / (1 << 20)) MiB" }
    }

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let (response, responseBody) = try await next(request, body, baseURL)
        guard let responseBody else { return (response, nil) }
        if case .known(let length) = responseBody.length, length > maxBytes { throw TooLarge(limit: maxBytes) }
        let limited = Limited(base: responseBody, limit: maxBytes)
        return (response, HTTPBody(limited, length: responseBody.length, iterationBehavior: .single))
    }
}

/// A response body that throws ``BodyLimit/TooLarge`` once more than `limit` bytes came through.
struct Limited: AsyncSequence, Sendable {
    typealias Element = HTTPBody.ByteChunk
    let base: HTTPBody
    let limit: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: HTTPBody.AsyncIterator
        let limit: Int
        var seen = 0

        mutating func next() async throws -> HTTPBody.ByteChunk? {
            guard let chunk = try await base.next() else { return nil }
            seen += chunk.count
            if seen > limit { throw BodyLimit.TooLarge(limit: limit) }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), limit: limit) }
}

/// Adds a bearer token to every call (this kiosk's, or an admin's in tests).
package struct BearerToken: ClientMiddleware {
    let token: String

    package init(token: String) { self.token = token }

    package func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Bearer \(token)"
        return try await next(request, body, baseURL)
    }
}

extension Unicode.GeneralCategory {
    var isControl: Bool { self == .control || self == .format || self == .lineSeparator || self == .paragraphSeparator }
}
