import CEspeakNG
import Synchronization

/// espeak-ng, in its synchronous mode with a synthesis callback: text in, 16-bit mono samples out, a few milliseconds of
/// audio at a time, so the first sound can play long before the whole text is made.
///
/// espeak-ng keeps its state in globals and is not thread-safe: it is started once a process (``shared(dataPath:)``), and
/// one ``speak(_:voice:volume:onSamples:)`` runs at a time, whichever thread calls it.
public final class Synthesizer: Sendable {
    public let sampleRate: Int
    /// Words per minute (espeak-ng takes 80 to 450; 175 is its normal).
    public let rate: Int

    private static let started = Mutex<Result<Int, SpeechError>?>(nil)
    /// Held for the whole of a `speak`: espeak-ng's globals are one voice, one text, one callback at a time.
    private static let speaking = Mutex(())

    private init(sampleRate: Int, rate: Int) {
        self.sampleRate = sampleRate
        self.rate = rate
    }

    /// espeak-ng, started at the first call with its data from `dataPath` (nil: where the package put it). A start that
    /// failed is not tried again.
    public static func shared(dataPath: String? = nil, rate: Int = 160) throws(SpeechError) -> Synthesizer {
        let result = started.withLock { started -> Result<Int, SpeechError> in
            if let started { return started }
            // DONT_EXIT: without it, espeak-ng ends the whole process when its data is missing.
            let rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 60, dataPath, Int32(espeakINITIALIZE_DONT_EXIT))
            let result: Result<Int, SpeechError> =
                rate > 0
                ? .success(Int(rate))
                : .failure(SpeechError(.engine, "espeak-ng did not start (data at \(dataPath ?? "its default path")?)"))
            if rate > 0 { espeak_SetSynthCallback(synthesized) }
            started = result
            return result
        }
        return Synthesizer(sampleRate: try result.get(), rate: rate)
    }

    /// Says `text` with the voice `voice` (an espeak-ng name: "nl", "en"), handing the samples to `onSamples` as they are
    /// made; `onSamples` returns false to stop at once (new speech stops the old). Volume is espeak-ng's, 0 to 200.
    public func speak(
        _ text: String, voice: String, volume: Int = 100, onSamples: (UnsafeBufferPointer<Int16>) -> Bool
    ) throws(SpeechError) {
        try Self.speaking.withLock { _ throws(SpeechError) in
            try speakAlone(text, voice: voice, volume: volume, onSamples: onSamples)
        }
    }

    private func speakAlone(
        _ text: String, voice: String, volume: Int, onSamples: (UnsafeBufferPointer<Int16>) -> Bool
    ) throws(SpeechError) {
        guard espeak_SetVoiceByName(voice) == EE_OK else { throw SpeechError(.voice, "espeak-ng has no voice \(voice)") }
        espeak_SetParameter(espeakRATE, Int32(min(max(rate, 80), 450)), 0)
        espeak_SetParameter(espeakVOLUME, Int32(min(max(volume, 0), 200)), 0)
        try withoutActuallyEscaping(onSamples) { (onSamples) throws(SpeechError) in
            let sink = SampleSink(onSamples)
            let box = Unmanaged.passRetained(sink)
            defer { box.release() }
            let bytes = Array(text.utf8CString)
            let result = bytes.withUnsafeBufferPointer { text in
                espeak_Synth(
                    text.baseAddress, text.count, 0, POS_CHARACTER, 0, UInt32(espeakCHARS_UTF8), nil, box.toOpaque())
            }
            guard result == EE_OK || sink.stopped else {
                throw SpeechError(.engine, "espeak-ng could not say it (error \(result.rawValue))")
            }
        }
    }
}

/// Carries a `speak` call's closure through espeak-ng's `user_data`.
final class SampleSink {
    let onSamples: (UnsafeBufferPointer<Int16>) -> Bool
    var stopped = false

    init(_ onSamples: @escaping (UnsafeBufferPointer<Int16>) -> Bool) {
        self.onSamples = onSamples
    }
}

/// espeak-ng's synthesis callback: 0 goes on, 1 stops. A null `wav` ends the text.
private func synthesized(_ wav: UnsafeMutablePointer<Int16>?, _ count: Int32, _ events: UnsafeMutablePointer<espeak_EVENT>?)
    -> Int32
{
    guard let events, let data = events.pointee.user_data else { return 0 }
    let sink = Unmanaged<SampleSink>.fromOpaque(data).takeUnretainedValue()
    guard !sink.stopped else { return 1 }
    guard let wav, count > 0 else { return 0 }
    if !sink.onSamples(UnsafeBufferPointer(start: wav, count: Int(count))) {
        sink.stopped = true
        return 1
    }
    return 0
}
