/// One thing to say: the text, the espeak-ng voice for its language, and the volume.
public struct Utterance: Sendable, Equatable {
    public var text: String
    /// An espeak-ng voice name: "nl", "en".
    public var voice: String
    /// espeak-ng's volume, 0 to 200 (100 is its normal).
    public var volume: Int

    public init(_ text: String, voice: String, volume: Int = 100) {
        self.text = text
        self.voice = voice
        self.volume = volume
    }
}
