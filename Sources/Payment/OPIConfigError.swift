/// An opi profile option that cannot be used, with the option's name.
public struct OPIConfigError: Error, Sendable, CustomStringConvertible {
    public let option: String
    public let detail: String

    init(option: String, _ detail: String) {
        self.option = option
        self.detail = detail
    }

    public var description: String { "option \(option): \(detail)" }
}
