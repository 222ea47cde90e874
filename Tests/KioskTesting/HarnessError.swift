public struct HarnessError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}
