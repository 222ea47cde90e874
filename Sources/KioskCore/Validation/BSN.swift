/// A citizen service number (*burgerservicenummer*) that has passed the 11-proef.
///
/// The BSN is personal data: its `description` is masked, so it cannot reach a log line by accident.
public struct BSN: Sendable, Equatable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The nine digits, without separators.
    public let digits: String

    /// Why a typed BSN was refused. The text never repeats the number.
    public enum Problem: Error, Sendable, Equatable {
        case notNineDigits
        case failsElevenCheck
    }

    /// Parses a BSN as a resident types it: nine digits (an old eight-digit number gets its leading zero), dots and spaces allowed.
    ///
    /// - throws: ``Problem`` when the input is not nine digits or fails the 11-proef.
    public init(_ text: String) throws(Problem) {
        let kept = text.filter { $0 != " " && $0 != "." && $0 != "-" }
        guard kept.allSatisfy({ $0.isASCII && $0.isNumber }), kept.count == 8 || kept.count == 9 else {
            throw .notNineDigits
        }
        let nine = kept.count == 8 ? "0" + kept : kept
        guard BSN.passesElevenCheck(nine) else { throw .failsElevenCheck }
        digits = nine
    }

    /// The 11-proef: Σ dᵢ·(9,8,7,6,5,4,3,2,−1) ≡ 0 (mod 11), and never all zeros.
    public static func passesElevenCheck(_ nine: String) -> Bool {
        let values = nine.compactMap { $0.wholeNumberValue }
        guard values.count == 9, values.contains(where: { $0 != 0 }) else { return false }
        let weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
        let sum = zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return sum % 11 == 0
    }

    /// Shows only the last three digits, for a summary screen.
    public var masked: String { "******" + digits.suffix(3) }

    public var description: String { "BSN(redacted)" }
    public var debugDescription: String { description }
}
