import KioskCore
import Logging
import Speech
import Synchronization

/// Reads the screens aloud in speech mode: each new screen whole, what changed on the same one, and the control a keypad
/// moves the focus to. What is said comes from ``SpeechScript`` (pure, tested with the screens); the narrator only decides
/// when, and hands it to the ``Speaker``. Speech off silences it at once.
final class Narrator: Sendable {
    let speaker: Speaker
    private let last = Mutex<Screen?>(nil)

    init(speaker: Speaker) {
        self.speaker = speaker
    }

    func show(_ screen: Screen) {
        let previous = last.withLock { last in
            defer { last = screen }
            return last
        }
        guard screen.speech.on else {
            if previous?.speech.on == true { speaker.silence() }
            return
        }
        if let script = SpeechScript.change(from: previous, to: screen) { say(script, on: screen) }
    }

    func focused(_ focus: Focus, on screen: Screen) {
        if let script = SpeechScript.focus(focus, on: screen) { say(script, on: screen) }
    }

    private func say(_ script: SpeechScript, on screen: Screen) {
        speaker.say(Utterance(script.text, voice: Self.voice(screen.language), volume: Self.volume(screen.speech.volume)))
    }

    /// espeak-ng's voice for the screen's language.
    static func voice(_ language: Language) -> String {
        switch language {
        case .nl: "nl"
        case .en: "en"
        }
    }

    /// The resident's volume (1 to 10; 5 is the default) as espeak-ng's (20 to 200; 100 is its normal).
    static func volume(_ step: Int) -> Int { 20 * min(max(step, SpeechMode.volumes.lowerBound), SpeechMode.volumes.upperBound) }
}
