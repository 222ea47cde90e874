/// A PC/SC failure in one line. The codes are pcsc-lite's `SCARD_*` values (the C macros are casts Swift cannot import).
public struct PCSCError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: Int
    public let call: String

    public init(_ code: Int, during call: String) {
        self.code = code
        self.call = call
    }

    public static let cancelled = 0x8010_0002
    public static let unknownReader = 0x8010_0009
    public static let timeout = 0x8010_000A
    public static let noSmartCard = 0x8010_000C
    public static let communication = 0x8010_0013
    public static let readerUnavailable = 0x8010_0017
    public static let noService = 0x8010_001D
    public static let noReadersAvailable = 0x8010_002E
    public static let resetCard = 0x8010_0068
    public static let removedCard = 0x8010_0069

    /// The card or its reader left: what a resident pulling the card looks like from here.
    public var isCardGone: Bool {
        [Self.noSmartCard, Self.readerUnavailable, Self.removedCard, Self.resetCard, Self.unknownReader].contains(code)
    }

    public var description: String {
        let what =
            switch code {
            case Self.noService: "pcscd is not running"
            case Self.communication: "the connection to pcscd was lost"
            case Self.noReadersAvailable: "no card reader is connected"
            case Self.unknownReader: "the reader is gone"
            case Self.readerUnavailable: "the reader is unavailable"
            case Self.noSmartCard: "no card on the reader"
            case Self.removedCard: "the card was removed"
            case Self.resetCard: "the card was reset by another program"
            case Self.timeout: "timed out"
            case Self.cancelled: "cancelled"
            default: "error 0x" + String(code, radix: 16, uppercase: true)
            }
        return "\(call): \(what)"
    }
}
