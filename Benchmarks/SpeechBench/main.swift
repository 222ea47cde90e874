// kiosk-bench-speech: how soon a resident hears a new screen.
//
//   For every shipped screen in both languages, in speech mode: the time from the screen change (the speaker asked to say
//   it) to its first sample at the output, against the time espeak-ng takes to make the whole text, in the same run. The
//   output is a WAV file, so the figures are the kiosk's own (a sound card adds its buffer, 100 ms, to the first).
//
// Run with `make bench`; record the figures in Benchmarks/README.md.
import BenchSupport
import Foundation
import KioskCore
import KioskTesting
import Logging
import Speech

let rounds = Int(ProcessInfo.processInfo.environment["BENCH_ROUNDS"] ?? "") ?? 3
var texts: [(name: String, text: String, voice: String)] = []
for language in Language.allCases {
    for (name, screen) in try ShippedScreens.all(language) {
        texts.append((name, SpeechScript.of(screen, privateAudio: false).text, language.rawValue))
    }
}

// The baseline: the whole text made, nothing else.
let synthesizer = try Synthesizer.shared()
var whole: [Double] = []
var audio: [Double] = []
for _ in 0..<rounds {
    for item in texts {
        var samples = 0
        let begin = ContinuousClock.now
        try synthesizer.speak(item.text, voice: item.voice) { chunk in
            samples += chunk.count
            return true
        }
        whole.append(milliseconds(ContinuousClock.now - begin))
        audio.append(Double(samples) / Double(synthesizer.sampleRate) * 1000)
    }
}

// Through the speaker, as kioskd says a screen: its thread, the output, the first sample's time.
let path = try Harness.scratch() + "/speech.wav"
let (outcomes, done) = AsyncStream.makeStream(of: Result<Speaker.Timing, SpeechError>.self)
let speaker = Speaker(logger: Logger(label: "bench"), onDone: { done.yield($1) }) { WAVFileOutput(path: path) }
@MainActor func throughTheSpeaker() async throws -> (first: [Double], total: [Double]) {
    var first: [Double] = []
    var total: [Double] = []
    var next = outcomes.makeAsyncIterator()
    for _ in 0..<rounds {
        for item in texts {
            speaker.say(Utterance(item.text, voice: item.voice))
            let timing = try await next.next()!.get()
            first.append(milliseconds(timing.firstSample))
            total.append(milliseconds(timing.total))
        }
    }
    return (first, total)
}
let (first, total) = try await throughTheSpeaker()
speaker.stop()

let machine = ProcessInfo.processInfo
print("speech: \(texts.count) screens (both languages) × \(rounds), \(machine.activeProcessorCount) cores")
print(
    String(
        format: "  whole text synthesised: p50 %7.1f ms  p99 %7.1f ms  (audio p50 %.1f s: %.0fx real time)",
        percentile(whole, 0.5), percentile(whole, 0.99), percentile(audio, 0.5) / 1000,
        percentile(audio, 0.5) / percentile(whole, 0.5)))
print(
    String(
        format: "  screen change to first sample: p50 %6.1f ms  p99 %6.1f ms  -> %.3f of the whole text's synthesis",
        percentile(first, 0.5), percentile(first, 0.99), percentile(first, 0.5) / percentile(whole, 0.5)))
print(String(format: "  through the speaker, to the last sample: p50 %7.1f ms", percentile(total, 0.5)))
