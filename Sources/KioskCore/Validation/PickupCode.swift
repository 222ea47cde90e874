/// The code on a resident's pickup letter (*afhaalcode*): eight characters in two groups of four, such as `K7QM-3XPA`.
///
/// The alphabet leaves out 0, 1, I and O, which residents confuse. Personal data: the description is masked.
public struct PickupCode: Sendable, Equatable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The eight characters, upper case, without the dash.
    public let value: String

    public static let alphabet: Set<Character> = Set("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")

    public enum Problem: Error, Sendable, Equatable {
        case wrongLength
        case badCharacter
    }

    /// Parses a code as typed: case, spaces and the dash do not matter.
    ///
    /// - throws: ``Problem`` when it is not eight characters of the pickup alphabet.
    public init(_ text: String) throws(Problem) {
        let kept = text.uppercased().filter { $0 != " " && $0 != "-" }
        guard kept.count == 8 else { throw .wrongLength }
        guard kept.allSatisfy({ PickupCode.alphabet.contains($0) }) else { throw .badCharacter }
        value = kept
    }

    /// `XXXX-XXXX`, as printed on the letter.
    public var formatted: String { String(value.prefix(4)) + "-" + String(value.suffix(4)) }

    public var description: String { "PickupCode(redacted)" }
    public var debugDescription: String { description }
}
