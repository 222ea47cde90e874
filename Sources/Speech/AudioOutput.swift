/// Where the samples go: a sound card through ALSA, or a WAV file (tests, and checking what a kiosk says without a
/// loudspeaker). Used from the ``Speaker``'s thread only.
public protocol AudioOutput: AnyObject {
    /// Ready for 16-bit mono samples at `sampleRate`, before each utterance.
    func start(sampleRate: Int) throws(SpeechError)
    func write(_ samples: UnsafeBufferPointer<Int16>) throws(SpeechError)
    /// The utterance is over: played out to the end, or (`interrupted`) cut off for new speech.
    func finish(interrupted: Bool)
}
