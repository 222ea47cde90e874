import CALSA
import Glibc

/// A sound card through ALSA (`default`, or a name from the kiosk's asound.conf). Opened at the first utterance and kept
/// open; a device that fails (a USB sound card or headset pulled) is closed, and opened again at the next utterance.
public final class ALSAOutput: AudioOutput {
    public let device: String
    /// How much audio ALSA holds ahead: what new speech may lag behind a cut-off one.
    let latencyMicroseconds: UInt32
    private var pcm: OpaquePointer?
    private var sampleRate = 0

    public init(device: String = "default", latencyMicroseconds: UInt32 = 100_000) {
        self.device = device
        self.latencyMicroseconds = latencyMicroseconds
    }

    deinit { if let pcm { snd_pcm_close(pcm) } }

    public func start(sampleRate: Int) throws(SpeechError) {
        if pcm != nil, sampleRate == self.sampleRate { return }
        close()
        var opened: OpaquePointer?
        var result = snd_pcm_open(&opened, device, SND_PCM_STREAM_PLAYBACK, 0)
        guard result == 0, let opened else { throw SpeechError(.device, "\(device): \(Self.describe(result))") }
        result = snd_pcm_set_params(
            opened, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1, UInt32(sampleRate), 1, latencyMicroseconds)
        guard result == 0 else {
            snd_pcm_close(opened)
            throw SpeechError(.device, "\(device) cannot play \(sampleRate) Hz mono: \(Self.describe(result))")
        }
        pcm = opened
        self.sampleRate = sampleRate
    }

    public func write(_ samples: UnsafeBufferPointer<Int16>) throws(SpeechError) {
        guard let pcm, var next = samples.baseAddress else { throw SpeechError(.output, "\(device) is not open") }
        var left = samples.count
        while left > 0 {
            var written = snd_pcm_writei(pcm, next, snd_pcm_uframes_t(left))
            if written < 0 {
                // An underrun (the text came slower than it played) or a suspend: recovered; anything else ends it.
                let recovered = snd_pcm_recover(pcm, Int32(written), 1)
                guard recovered == 0 else {
                    close()
                    throw SpeechError(.output, "\(device): \(Self.describe(Int32(written)))")
                }
                written = 0
            }
            left -= Int(written)
            next += Int(written)
        }
    }

    public func finish(interrupted: Bool) {
        guard let pcm else { return }
        if interrupted {
            snd_pcm_drop(pcm)
        } else {
            snd_pcm_drain(pcm)
        }
        snd_pcm_prepare(pcm)
    }

    private func close() {
        if let pcm { snd_pcm_close(pcm) }
        pcm = nil
    }

    static func describe(_ code: Int32) -> String { String(cString: snd_strerror(code)) }
}
