internal import Foundation

/// The languages every resident-facing text must exist in.
///
/// Dutch is the default at the Stadswinkel; English is one tap away on every screen.
public enum Language: String, Sendable, CaseIterable, Codable {
    case nl
    case en

    /// The other language, for the one-button language switch.
    public var other: Language { self == .nl ? .en : .nl }
}

/// A text in every ``Language``.
///
/// Flows carry their texts beside each step, so a missing translation is a validation error, not a blank on a screen.
public struct LocalizedText: Sendable, Equatable, Hashable, Codable {
    public var nl: String
    public var en: String

    public init(nl: String, en: String) {
        self.nl = nl
        self.en = en
    }

    public subscript(_ language: Language) -> String {
        switch language {
        case .nl: nl
        case .en: en
        }
    }

    /// Replaces `{name}` placeholders in both languages.
    public func filling(_ values: [String: String]) -> LocalizedText {
        LocalizedText(nl: Self.fill(nl, values), en: Self.fill(en, values))
    }

    static func fill(_ text: String, _ values: [String: String]) -> String {
        guard text.contains("{") else { return text }
        var result = text
        for (key, value) in values {
            result = result.replacingOccurrences(of: "{\(key)}", with: value)
        }
        return result
    }
}
