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
        if let input = screen.input { said.append(field(input, privateAudio: privateAudio, language)) }
        for (index, button) in screen.buttons.enumerated() {
            said.append(UIText.spokenButton(index + 1, button.label)[language])
        }
        if !screen.chrome.isEmpty { said.append(UIText.spokenAlso(screen.chrome.map(\.label))[language]) }
        return SpeechScript(sentences: said)
    }

    /// What to say when `next` replaces `previous` in speech mode: the whole screen when it is a new one (or speech just
    /// started, or the resident asked for it again), only the field when only what is typed changed, the volume when only
    /// that changed, and nothing when nothing that is said changed. Nil when there is nothing to say (or speech is off).
    public static func change(from previous: Screen?, to next: Screen) -> SpeechScript? {
        guard next.speech.on else { return nil }
        let privateAudio = next.speech.headset
        guard let previous, previous.speech.on, previous.speech.repeats == next.speech.repeats,
            previous.speech.headset == next.speech.headset
        else { return of(next, privateAudio: privateAudio) }
        var before = previous
        var after = next
        (before.speech, after.speech) = (SpeechMode(), SpeechMode())
        (before.chrome, after.chrome) = ([], [])
        if before == after {
            guard previous.speech.volume != next.speech.volume else { return nil }
            return SpeechScript(sentences: [UIText.spokenVolume(next.speech.volume)[next.language]])
        }
        if let typed = next.input, before.input?.label == typed.label {
            before.input?.value = typed.value
            if before == after { return SpeechScript(sentences: [field(typed, privateAudio: privateAudio, next.language)]) }
        }
        return of(next, privateAudio: privateAudio)
    }

    /// What is said when the keypad moves the focus: the control it is on now.
    public static func focus(_ focus: Focus, on screen: Screen) -> SpeechScript? {
        guard screen.speech.on else { return nil }
        if let button = focus.button(on: screen) {
            if let index = screen.buttons.firstIndex(of: button) {
                return SpeechScript(sentences: [UIText.spokenButton(index + 1, button.label)[screen.language]])
            }
            return SpeechScript(sentences: [button.label + "."])
        }
        guard let input = screen.input else { return nil }
        return SpeechScript(sentences: [field(input, privateAudio: screen.speech.headset, screen.language)])
    }

    static func field(_ input: Screen.InputField, privateAudio: Bool, _ language: Language) -> String {
        let value =
            input.value.isEmpty
            ? UIText.spokenEmpty[language]
            : privateAudio ? spelled(input.value) : UIText.spokenTyped(input.value.count)[language]
        return "\(input.label): \(value)."
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
