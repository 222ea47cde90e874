import KioskCore
import Logging
import Speech
import Synchronization

/// Reads the screens aloud in speech mode: each new screen whole, what changed on the same one, and the control a keypad
/// moves the focus to. What is said comes from ``SpeechScript`` (pure, tested with the screens); the narrator only decides
/// when, and hands it to the ``Speaker``. Speech off silences it at once.
final class Narrator: Sendable {
    let speaker: Speaker
    /// False when the speech goes to a file (`speech: {output: …}`): what is written there stays on disk, so personal data
    /// is left out of it as over the loudspeaker, headset or not.
    let headsetIsPrivate: Bool
    private let last = Mutex<Screen?>(nil)

    init(speaker: Speaker, headsetIsPrivate: Bool) {
        self.speaker = speaker
        self.headsetIsPrivate = headsetIsPrivate
    }

    func show(_ screen: Screen) {
        let screen = Self.heard(screen, headsetIsPrivate: headsetIsPrivate)
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
        let screen = Self.heard(screen, headsetIsPrivate: headsetIsPrivate)
        if let script = SpeechScript.focus(focus, on: screen) { say(script, on: screen) }
    }

    /// The screen as the output hears it: a headset counts as private only where the sound goes to the sound card.
    static func heard(_ screen: Screen, headsetIsPrivate: Bool) -> Screen {
        guard !headsetIsPrivate, screen.speech.headset else { return screen }
        var heard = screen
        heard.speech.headset = false
        return heard
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
