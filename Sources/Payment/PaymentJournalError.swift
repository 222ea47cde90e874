import Outbox

/// Why the payment journal could not do something, with the reference it concerns.
public struct PaymentJournalError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The write did not commit (a full disk, an I/O error): the terminal must not be asked.
        case notStored
    }

    public let kind: Kind
    public let reference: String
    public let detail: String
    /// The disk is full.
    public let full: Bool

    init(_ kind: Kind, reference: String, _ error: any Error) {
        self.kind = kind
        self.reference = reference
        detail = Outbox.describe(error)
        full = Outbox.isFull(error)
    }

    public var description: String { "payment \(reference): \(kind.rawValue) (\(detail))" }
}
