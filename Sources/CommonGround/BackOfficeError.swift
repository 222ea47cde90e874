/// Why a call to the back office did not give what was asked, as a kind callers match on and the context of one log line.
///
/// Never carries personal data: a BSN, a name or a document's content stays out of every description.
package struct BackOfficeError: Error, Sendable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        /// No connection, a reset, or no answer in time: the outcome of a state-changing call is unknown.
        case unreachable
        /// The server refused the credentials (401 or 403), or the TLS handshake failed (a client certificate refused, a
        /// server certificate not trusted): a configuration fault, not worth retrying soon.
        case credentials
        /// 400 with `invalidParams`; the codes are the servers' own (e.g. `identificatie-niet-uniek`, `unique`).
        case invalid(codes: [String])
        /// Any other status the call does not expect (404, 409, 412, 5xx, …).
        case status(Int)
        /// An answer that is not JSON, or not what the API's document says it is.
        case badAnswer
        /// The catalogue has no usable type: missing, not published, or without the status or role type configured.
        case catalogue
    }

    package let kind: Kind
    /// Which API and call, e.g. "zaken POST /zaken".
    package let call: String
    package let detail: String

    package init(_ kind: Kind, call: String, _ detail: String) {
        self.kind = kind
        self.call = call
        self.detail = detail
    }

    package var description: String { "\(call): \(detail)" }

    /// A 400 whose `invalidParams` carry this code.
    package func has(code: String) -> Bool {
        if case .invalid(let codes) = kind { return codes.contains(code) }
        return false
    }

    /// Whether the server may have done the work although no answer says so (the answer was lost or never came).
    package var outcomeUnknown: Bool {
        switch kind {
        case .unreachable, .badAnswer: true
        case .status(let code): code >= 500
        default: false
        }
    }
}
