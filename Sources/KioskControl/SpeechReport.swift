/// What `kioskctl status` says of speech output: whether it is on, into what, and how the last utterance went. Counts and
/// lengths only: never what was said.
public struct SpeechReport: Codable, Sendable, Equatable {
    public var on: Bool
    public var headset: Bool
    /// 1 to 10.
    public var volume: Int
    /// Where the samples go: `ALSA default`, or a WAV file's path.
    public var output: String
    /// Utterances said to the end, and cut off by new speech, since kioskd started.
    public var spoken: Int
    public var interrupted: Int
    /// The last utterance said to the end: its length in samples, and how long after the screen changed its first sample
    /// reached the output.
    public var lastSamples: Int
    public var lastFirstSampleMillis: Double
    /// Why the kiosk is silent, until speech works again.
    public var failure: String?

    public init(
        on: Bool, headset: Bool, volume: Int, output: String, spoken: Int = 0, interrupted: Int = 0, lastSamples: Int = 0,
        lastFirstSampleMillis: Double = 0, failure: String? = nil
    ) {
        self.on = on
        self.headset = headset
        self.volume = volume
        self.output = output
        self.spoken = spoken
        self.interrupted = interrupted
        self.lastSamples = lastSamples
        self.lastFirstSampleMillis = lastFirstSampleMillis
        self.failure = failure
    }

    /// The line of `kioskctl status`.
    public var summary: String {
        let mode = on ? "on\(headset ? " (headset)" : "")" : "off"
        let failed = failure.map { "; silent: \($0)" } ?? ""
        return "\(mode), volume \(volume), to \(output); \(spoken) said, \(interrupted) cut off\(failed)"
    }
}
