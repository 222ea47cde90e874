/// Why an OPI message or connection was refused, as one line for the log; `kind` for callers to match.
public struct OPIError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// A frame too large, empty, or cut off.
        case badFrame
        /// Not well-formed XML, or XML with a DTD (OPI has none; a DTD is how entity attacks start).
        case malformed
        /// A root element that is not an OPI message, or one in a namespace OPI does not use.
        case unexpectedMessage
        /// A required attribute or element is missing or has a value OPI does not allow.
        case invalid
        /// An answer that does not belong to the request (another RequestID, another workstation).
        case mismatch
    }

    public let kind: Kind
    public let detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = OPIText.scrub(detail, limit: 160)
    }

    public var description: String { "\(kind.rawValue): \(detail)" }
}
