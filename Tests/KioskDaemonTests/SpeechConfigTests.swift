import KioskCore
import Testing

@testable import KioskDaemon

/// The config's `speech:` section: its defaults, paths resolved against the config's folder, and a bad value as a line.
@Suite struct SpeechConfigTests {
    static func parse(_ speech: String) -> Result<KioskConfig, ConfigError> {
        KioskConfig.parse(PlainHTTPTests.config(central: "https://10.0.0.5:8421", extra: speech), path: "/k/kiosk.yaml")
    }

    @Test func withoutASectionTheKioskSpeaksThroughALSAAndLooksForAJack() throws {
        let config = try Self.parse("").get()
        #expect(config.speech == SpeechSettings())
        #expect(config.speech.device == "default" && config.speech.output == nil && config.speech.headset == "auto")
    }

    @Test func pathsAreTheConfigsFolders() throws {
        let config = try Self.parse("speech: {output: spoken.wav, headset: jack, rate: 200}").get()
        #expect(config.speech.output == "/k/spoken.wav")
        #expect(config.speech.headset == "/k/jack")
        #expect(config.speech.rate == 200)
        #expect(try Self.parse("speech: {headset: none}").get().speech.headset == "none")
    }

    @Test func aBadValueIsALine() {
        let cases = [
            "speech: {rate: 20}": "'rate' must be a whole number from 80 to 450",
            "speech: {rate: fast}": "'rate' must be a whole number from 80 to 450",
            "speech: {voice: nl}": "voice",
        ]
        for (bad, said) in cases {
            guard case .failure(let error) = Self.parse(bad) else {
                Issue.record("accepted: \(bad)")
                continue
            }
            #expect(error.description.hasPrefix("/k/kiosk.yaml:10:"), "one line, at its place: \(error)")
            #expect(error.description.contains(said), "\(error)")
        }
    }

    /// Speech written to a file (`output:`) stays on disk: a typed BSN and a name are left out of it, as over the
    /// loudspeaker, even with a headset in the jack. Only the sound card's headset hears them.
    @Test func personalDataIsNotWrittenToASpeechFile() {
        var screen = Screen(language: .nl, title: "Burgerservicenummer")
        screen.input = Screen.InputField(label: "BSN", value: "999990019", keyboard: .bsn)
        screen.summary = [Screen.SummaryLine(label: "Naam", value: "Willeke Liselotte de Bruijn", personal: true)]
        screen.speech.on = true
        screen.speech.headset = true
        let card = SpeechScript.change(from: nil, to: Narrator.heard(screen, headsetIsPrivate: true))?.text ?? ""
        #expect(card.contains("9 9 9 9 9 0 0 1 9") && card.contains("Willeke"), "into the headset: \(card)")
        let file = SpeechScript.change(from: nil, to: Narrator.heard(screen, headsetIsPrivate: false))?.text ?? ""
        #expect(file.contains("BSN: 9 tekens getypt."), "\(file)")
        #expect(!file.contains("9 9 9") && !file.contains("999") && !file.contains("Willeke"), "\(file)")
    }
}
