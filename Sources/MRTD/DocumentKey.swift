/// What opens a chip: the MRZ information (document number, birth date and expiry, each with its check digit: Doc 9303-11,
/// 9.7.1), and the card access number where the chip asks for it. Personal data: the description is masked.
public struct DocumentKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let mrzInformation: String
    public let can: String?

    public init(mrzInformation: String, can: String? = nil) {
        self.mrzInformation = mrzInformation
        self.can = can
    }

    public var description: String { "DocumentKey(redacted)" }
    public var debugDescription: String { description }
}
