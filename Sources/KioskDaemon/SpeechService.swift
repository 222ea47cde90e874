import Framebuffer
import KioskControl
import KioskCore
import Logging
import ServiceLifecycle
import Speech
import Synchronization

/// Speech output for the daemon's lifetime: the speaker on its thread, the narrator that feeds it the screens, and the
/// headset jack that turns speech mode on and off.
struct SpeechService: Service {
    let speaker: Speaker
    let jack: HeadsetJack?
    let engine: KioskEngine
    let logger: Logger

    /// Made before the engine starts, so that its first screen is heard.
    static func make(_ settings: SpeechSettings, engine: KioskEngine, logger: Logger) async -> SpeechService {
        let output = settings.output ?? "ALSA \(settings.device)"
        let counts = Mutex(SpeechReport(on: false, headset: false, volume: SpeechMode.defaultVolume, output: output))
        let speaker = Speaker(
            dataPath: settings.dataPath, rate: settings.rate, logger: logger,
            onDone: { outcome in counts.withLock { $0.count(outcome) } },
            makeOutput: {
                if let file = settings.output { return WAVFileOutput(path: file) }
                return ALSAOutput(device: settings.device)
            })
        let narrator = Narrator(speaker: speaker)
        await engine.observe(screens: narrator.show, focus: { narrator.focused($1, on: $0) })
        await engine.reportSpeech { mode in
            var report = counts.withLock { $0 }
            (report.on, report.headset, report.volume) = (mode.on, mode.headset, mode.volume)
            return report
        }
        let jack = settings.headset == "none" ? nil : HeadsetJack(path: settings.headset, logger: logger)
        logger.info("speech: to \(output), headset \(settings.headset)")
        return SpeechService(speaker: speaker, jack: jack, engine: engine, logger: logger)
    }

    func run() async throws {
        jack?.start { [engine, logger, speaker] plugged in
            // Pulled mid-sentence: silent at once, before the engine hears it, since the sound card may now play what
            // was meant for the headset (a name, a BSN) on the loudspeaker.
            if !plugged { speaker.silence() }
            logger.info("headset \(plugged ? "plugged in: reading aloud" : "out: speech off")")
            Task { await engine.send(.headset(plugged: plugged)) }
        }
        try? await gracefulShutdown()
        jack?.stop()
        speaker.stop()
    }
}

extension SpeechReport {
    mutating func count(_ outcome: Result<Speaker.Timing, SpeechError>) {
        switch outcome {
        case .success(let timing) where timing.interrupted:
            interrupted += 1
            failure = nil
        case .success(let timing):
            spoken += 1
            lastSamples = timing.samples
            lastFirstSampleMillis =
                Double(timing.firstSample.components.attoseconds) / 1e15
                + Double(timing.firstSample.components.seconds) * 1000
            failure = nil
        case .failure(let error): failure = error.description
        }
    }
}
