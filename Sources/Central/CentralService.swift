public import Foundation
public import KioskCore

/// The municipality's central systems, as the kiosk needs them: one call that sends a flow's request and says what came of it.
///
/// ``HTTPCentral`` speaks the OpenAPI contract to a real server; ``InProcessCentral`` stands in for it inside kioskd. The outbox
/// drives both the same way: it sends a stored request with its own ``Delivery`` (reference and idempotency key) until the
/// answer is final.
public protocol CentralService: Sendable {
    /// Sends one request. The same `delivery` may be sent again after any failure; the central answers it only once.
    func send(_ request: ServiceRequest, delivery: Delivery) async -> CentralAnswer
    /// What the central recorded as paid at this kiosk on `day` (YYYY-MM-DD).
    func paymentDay(_ day: String) async -> PaymentDayAnswer
}

extension CentralService {
    public func paymentDay(_ day: String) async -> PaymentDayAnswer { .unavailable("this central keeps no payments") }
}

/// What identifies one request across retries: the reference the resident was given, and the key the central deduplicates on.
public struct Delivery: Sendable, Equatable, Codable {
    public var reference: String
    public var idempotencyKey: String

    public init(reference: String, idempotencyKey: String) {
        self.reference = reference
        self.idempotencyKey = idempotencyKey
    }
}

/// What came of a send.
public enum CentralAnswer: Sendable, Equatable {
    /// The central answered; the flow can go on with this. `document` is the extract when it was produced at once.
    case answered(ServiceResult, document: ProducedDocument? = nil)
    /// The central refused the request for good (409, 422): retrying will not help; staff must look.
    case refused(String)
    /// No usable answer (unreachable, timeout, 5xx, garbage): try again, not before `retryAfter` if the central said so.
    case unavailable(String, retryAfter: Duration?)

    /// The outcome the flow branches on: anything but an answer means offline, with the reference to quote.
    public func result(reference: String) -> ServiceResult {
        switch self {
        case .answered(var result, _):
            if result.fields["reference"] == nil { result.fields["reference"] = reference }
            return result
        case .refused, .unavailable:
            return ServiceResult(.offline, fields: ["reference": reference])
        }
    }
}

extension ServiceRequest {
    /// Whether the request changes something at the central, and so goes through the outbox. Lookups do not.
    public var changesState: Bool {
        if case .lookupPickup = self { return false }
        return true
    }
}

/// A document the central produced for the resident (the extract PDF), fetched and checked, ready to be printed as it is.
///
/// Personal data: it lives in memory only, for the session that asked for it.
public struct ProducedDocument: Sendable, Equatable, CustomStringConvertible {
    public var id: String
    public var pdf: Data

    public init(id: String, pdf: Data) {
        self.id = id
        self.pdf = pdf
    }

    public var description: String { "ProducedDocument(\(pdf.count) bytes)" }
}
