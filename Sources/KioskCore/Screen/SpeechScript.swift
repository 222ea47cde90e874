/// What the kiosk says for a screen in speech mode (EN 301 549, clause 5.1.3): its step, title, text, the numbers to
/// remember, the summary, the error, the field and the buttons with their numbers, in the screen's language. Pure, like
/// the screen it reads, so it is tested like one.
///
/// Personal data (a name, a BSN, a document number, what is typed into a field) is said only into a headset
/// (`privateAudio`); over the loudspeaker the kiosk says that it is left out. Masked characters are never said.
public struct SpeechScript: Sendable, Equatable {
    /// The sentences, in the order they are said.
    public var sentences: [String]

    public var text: String { sentences.joined(separator: " ") }

    public init(sentences: [String]) {
        self.sentences = sentences
    }

    public static func of(_ screen: Screen, privateAudio: Bool) -> SpeechScript {
        let language = screen.language
        if let warning = screen.warning {
            return SpeechScript(sentences: [warning, UIText.spokenButton(1, UIText.keepGoing[language])[language]])
        }
        var said: [String] = []
        if let progress = screen.progress { said.append(progress + ".") }
        said.append(screen.title + ".")
        if let banner = screen.banner { said.append(banner) }
        said += screen.body
        for fact in screen.keyFacts { said.append("\(fact.label): \(spelled(fact.value)).") }
        for line in screen.summary {
            let value = line.personal && !privateAudio ? UIText.spokenOnlyInHeadset[language] : unmasked(line.value)
            said.append("\(line.label): \(value).")
        }
        if let notice = screen.noticeText { said.append("\(UIText.spokenError[language]) \(notice)") }
        if screen.busy { said.append(UIText.waiting[language]) }
        if let input = screen.input {
            let value =
                input.value.isEmpty
                ? UIText.spokenEmpty[language]
                : privateAudio ? spelled(input.value) : UIText.spokenTyped(input.value.count)[language]
            said.append("\(input.label): \(value).")
        }
        for (index, button) in screen.buttons.enumerated() {
            said.append(UIText.spokenButton(index + 1, button.label)[language])
        }
        if !screen.chrome.isEmpty { said.append(UIText.spokenAlso(screen.chrome.map(\.label))[language]) }
        return SpeechScript(sentences: said)
    }

    /// Character by character, so that a synthesiser says "A 0 0 1" and not a word or a number.
    static func spelled(_ value: String) -> String {
        value.map(String.init).filter { $0 != " " }.joined(separator: " ")
    }

    /// What is shown of a masked value (`******990`): the masking characters are not said.
    static func unmasked(_ value: String) -> String {
        guard value.contains("*") else { return value }
        return spelled(value.filter { $0 != "*" })
    }
}
