import OPI

/// Why a request on channel 0 got no usable answer.
enum OPILinkFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The terminal could not be reached (or refused the login): the request never left the kiosk.
    case notConnected(String)
    /// Sent, and no answer in time.
    case timedOut
    /// Sent, and the connection ended before the answer.
    case connectionLost(String)
    /// Sent, and what came back could not be read.
    case unreadable(OPIError)

    /// Whether the request may have reached the terminal.
    var maybeDelivered: Bool {
        if case .notConnected = self { return false }
        return true
    }

    var description: String {
        switch self {
        case .notConnected(let why): "not connected (\(why))"
        case .timedOut: "no answer in time"
        case .connectionLost(let why): "connection lost (\(why))"
        case .unreadable(let error): "unreadable answer (\(error))"
        }
    }
}
