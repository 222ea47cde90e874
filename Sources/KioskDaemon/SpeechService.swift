import Foundation
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
    let outcomes: SpeechOutcomes
    let logger: Logger

    /// Made before the engine starts, so that its first screen is heard.
    static func make(_ settings: SpeechSettings, engine: KioskEngine, logger: Logger) async -> SpeechService {
        let output = settings.output ?? "ALSA \(settings.device)"
        let outcomes = SpeechOutcomes(output: output)
        let speaker = Speaker(
            dataPath: settings.dataPath, rate: settings.rate, logger: logger, onDone: outcomes.heard,
            makeOutput: {
                if let file = settings.output { return WAVFileOutput(path: file) }
                return ALSAOutput(device: settings.device)
            })
        let narrator = Narrator(speaker: speaker, headsetIsPrivate: settings.output == nil)
        await engine.observe(screens: narrator.show, focus: { narrator.focused($1, on: $0) })
        await engine.reportSpeech { mode in
            var report = outcomes.report
            (report.on, report.headset, report.volume) = (mode.on, mode.headset, mode.volume)
            return report
        }
        let jack = settings.headset == "none" ? nil : HeadsetJack(path: settings.headset, logger: logger)
        logger.info("speech: to \(output), headset \(settings.headset)")
        return SpeechService(speaker: speaker, jack: jack, engine: engine, outcomes: outcomes, logger: logger)
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

extension SpeechService {
    /// `kioskctl speech test`: one sentence in the screen's language, whatever the speech mode, and how it went.
    func test() async -> ControlReply {
        let language = await engine.screen.language
        let sentence =
            language == .nl ? "Dit is een test van de spraak van de kiosk." : "This is a test of the kiosk's speech."
        let outcome = await outcomes.of {
            speaker.say(Utterance(sentence, voice: Narrator.voice(language), volume: Narrator.volume(SpeechMode.defaultVolume)))
        }
        switch outcome {
        case .success(let timing) where timing.interrupted:
            return ControlReply(ok: false, message: "the test sentence was cut off by the kiosk's own speech; try again")
        case .success(let timing):
            let seconds = Double(timing.samples) / Double(timing.sampleRate)
            let first = timing.firstSample / .milliseconds(1)
            return ControlReply(
                ok: true,
                message: String(
                    format: "said %.1f s of speech in %@ to %@, the first sample after %.1f ms", seconds,
                    language.rawValue, outcomes.output, first))
        case .failure(let error):
            return ControlReply(ok: false, message: "speech: \(error)")
        }
    }
}

/// What became of each utterance: the counts for the status, and whoever waits for one utterance's outcome (the speech
/// test), by the speaker's generation.
final class SpeechOutcomes: Sendable {
    typealias Outcome = Result<Speaker.Timing, SpeechError>

    private struct Waiting {
        var waiters: [Int: CheckedContinuation<Outcome, Never>] = [:]
        /// The last few outcomes nobody waited for yet: a failure can come before its waiter is in.
        var recent: [(generation: Int, outcome: Outcome)] = []
    }

    let output: String
    private let counts: Mutex<SpeechReport>
    private let waiting = Mutex(Waiting())

    init(output: String) {
        self.output = output
        counts = Mutex(SpeechReport(on: false, headset: false, volume: SpeechMode.defaultVolume, output: output))
    }

    var report: SpeechReport { counts.withLock { $0 } }

    func heard(_ generation: Int, _ outcome: Outcome) {
        counts.withLock { $0.count(outcome) }
        let waiter = waiting.withLock { waiting -> CheckedContinuation<Outcome, Never>? in
            if let waiter = waiting.waiters.removeValue(forKey: generation) { return waiter }
            waiting.recent = waiting.recent.suffix(7) + [(generation, outcome)]
            return nil
        }
        waiter?.resume(returning: outcome)
    }

    /// The outcome of the utterance `say` starts (it returns the speaker's generation for it), or a failure after 30 s
    /// without one (a sound card that hangs). Another utterance that ends meanwhile is not taken for it.
    func of(_ say: () -> Int) async -> Outcome {
        let generation = say()
        return await withCheckedContinuation { waiter in
            let early = waiting.withLock { waiting -> Outcome? in
                if let early = waiting.recent.first(where: { $0.generation == generation }) { return early.outcome }
                waiting.waiters[generation] = waiter
                return nil
            }
            if let early { return waiter.resume(returning: early) }
            Task { [weak self] in
                try? await Task.sleep(for: .seconds(30))
                let late = self?.waiting.withLock { $0.waiters.removeValue(forKey: generation) }
                late?.resume(returning: .failure(SpeechError(.output, "no answer in 30 s")))
            }
        }
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
            lastFirstSampleMillis = timing.firstSample / .milliseconds(1)
            failure = nil
        case .failure(let error): failure = error.description
        }
    }
}
