public import KioskCore

/// The municipality's central systems, as the kiosk needs them: four operations, nothing more.
///
/// The in-process ``InProcessCentral`` serves the demo and the tests; the HTTP client generated from the OpenAPI contract will
/// conform to the same protocol, so the daemon does not change when it arrives.
public protocol CentralService: Sendable {
    func submitExtractRequest(_ request: ExtractRequest) async throws(CentralError) -> ExtractAnswer
    func lookupPickup(code: String) async throws(CentralError) -> PickupAnswer
    func collectPickup(code: String, identity: Identity) async throws(CentralError) -> CollectAnswer
    func callStaff(_ call: StaffCall) async throws(CentralError) -> StaffAnswer
}

public enum ExtractAnswer: Sendable, Equatable {
    /// Accepted, with the extract's text when it was produced at once.
    case accepted(caseID: String, extract: String?)
    case rejected(reason: String)
}

public enum PickupAnswer: Sendable, Equatable {
    /// `documentKind`: passport, idCard or drivingLicence.
    case found(documentKind: String)
    case notFound
}

public enum CollectAnswer: Sendable, Equatable {
    case collected(counter: String, ticket: String)
    /// The identity does not match the applicant.
    case mismatch
}

public enum StaffAnswer: Sendable, Equatable {
    case called
}

/// Why a central call did not get an answer. The text is one line and carries no personal data.
public struct CentralError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case unreachable, timedOut, badAnswer, refused
    }

    public let kind: Kind
    public let detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String { "central \(kind.rawValue): \(detail)" }
}

extension CentralService {
    /// Runs a flow's request and turns the answer into the outcome the flow branches on.
    ///
    /// Anything that is not an answer (unreachable, timeout, garbage) is `offline`, with a reference made here so the resident
    /// leaves with something to quote.
    public func perform(_ request: ServiceRequest, offlineReference: @autoclosure () -> String) async -> ServiceResult {
        do {
            switch request {
            case .extractRequest(let extract):
                switch try await submitExtractRequest(extract) {
                case .accepted(let caseID, let text):
                    var fields = ["caseId": caseID]
                    fields["extractText"] = text
                    return ServiceResult(.accepted, fields: fields)
                case .rejected:
                    return ServiceResult(.rejected)
                }
            case .lookupPickup(let code):
                switch try await lookupPickup(code: code) {
                case .found(let kind): return ServiceResult(.found, fields: ["documentKind": kind])
                case .notFound: return ServiceResult(.notFound)
                }
            case .collectPickup(let code, let identity):
                guard let identity else { return ServiceResult(.mismatch) }
                switch try await collectPickup(code: code, identity: identity) {
                case .collected(let counter, let ticket):
                    return ServiceResult(.collected, fields: ["counter": counter, "ticket": ticket])
                case .mismatch: return ServiceResult(.mismatch)
                }
            case .callStaff(let call):
                _ = try await callStaff(call)
                return ServiceResult(.called)
            }
        } catch {
            return ServiceResult(.offline, fields: ["reference": offlineReference()])
        }
    }
}
