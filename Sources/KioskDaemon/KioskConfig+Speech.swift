import KioskCore

/// The config's `speech:` section: where the spoken screens go, and where the headset's jack is.
///
/// ```yaml
/// speech:
///   device: default          # an ALSA PCM (default), or
///   output: /tmp/speech.wav  # a WAV file instead of a sound card (tests, and checking what is said)
///   headset: auto            # the jack's evdev node, `auto` (the first sound card jack with SW_HEADPHONE_INSERT), or `none`
///   rate: 160                # words per minute, 80 to 450
/// ```
public struct SpeechSettings: Sendable, Equatable {
    public var device = "default"
    public var output: String?
    public var headset = "auto"
    public var rate = 160
    /// espeak-ng's data, when it is not where the package put it.
    public var dataPath: String?

    public init() {}
}

extension KioskConfig {
    static func parseSpeech(_ top: YAMLMap, resolve: (String) -> String, issues: inout [SourceIssue]) -> SpeechSettings {
        var settings = SpeechSettings()
        guard let speech = top.map("speech", required: false, in: "the config", issues: &issues) else { return settings }
        speech.rejectUnknownKeys(["device", "output", "headset", "rate", "dataPath"], in: "speech", issues: &issues)
        settings.device = speech.string("device", required: false, in: "speech", issues: &issues) ?? settings.device
        settings.output = speech.string("output", required: false, in: "speech", issues: &issues).map(resolve)
        settings.headset = speech.string("headset", required: false, in: "speech", issues: &issues) ?? settings.headset
        if !["auto", "none"].contains(settings.headset) { settings.headset = resolve(settings.headset) }
        settings.rate = speech.int("rate", in: "speech", range: 80...450, issues: &issues) ?? settings.rate
        settings.dataPath = speech.string("dataPath", required: false, in: "speech", issues: &issues).map(resolve)
        return settings
    }
}
