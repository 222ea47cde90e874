/// Where in which file a thing was written, for `file:line:column: reason` messages.
public struct FileLocation: Sendable, Equatable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One problem in a file an operator wrote (a flow, a device profile, the kiosk config), as one line a compiler would print.
///
/// Operators edit these files by hand, so every message points at a line and says what was expected there.
public struct SourceIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public let location: FileLocation
    public let reason: String

    public init(_ location: FileLocation, _ reason: String) {
        self.location = location
        self.reason = reason
    }

    public var description: String { "\(location): \(reason)" }
}
