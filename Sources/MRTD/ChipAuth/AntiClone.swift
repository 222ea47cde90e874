/// What the chip proved about itself: that it holds the private key of DG14 (chip authentication) or DG15 (active
/// authentication), so it is the issuer's chip and not a copy of its data. It counts only where passive authentication is
/// valid, since the keys come from data groups the SOD vouches for.
public enum AntiClone: Sendable, Equatable, CustomStringConvertible {
    case chipAuthentication(String)
    case activeAuthentication(String)
    /// The chip could not prove its key: a copy, or one of the documents issued with a broken chip.
    case failed(String)
    /// The document has neither DG14 with chip authentication nor DG15.
    case notSupported

    public var isValid: Bool {
        switch self {
        case .chipAuthentication, .activeAuthentication: true
        case .failed, .notSupported: false
        }
    }

    public var description: String {
        switch self {
        case .chipAuthentication(let how): "chip authentication valid (\(how))"
        case .activeAuthentication(let how): "active authentication valid (\(how))"
        case .failed(let why): "failed: \(why)"
        case .notSupported: "not supported by the document (no DG14 chip authentication, no DG15)"
        }
    }
}
