import Dispatch
import Foundation
public import Logging
import Synchronization

/// Says one thing at a time, on a thread of its own: espeak-ng makes the samples and the output plays them as they come.
/// New speech stops the old within one chunk of synthesis (and what the sound card holds ahead). Whatever fails (no
/// audio device, no voice, a headset pulled mid-sentence) is one log line until speech works again; the kiosk carries on.
public final class Speaker: Sendable {
    /// How one utterance went, for the log and the benchmark.
    public struct Timing: Sendable, Equatable {
        /// From ``say(_:)`` to the first sample handed to the output.
        public var firstSample: Duration
        /// From ``say(_:)`` to the last sample (with a sound card, that includes playing all but its buffer).
        public var total: Duration
        public var samples: Int
        public var sampleRate: Int
        public var interrupted: Bool
    }

    private struct Queue {
        /// The utterance waiting to be said, when it was asked for, and its generation.
        var pending: (Utterance, ContinuousClock.Instant, Int)?
        /// Goes up with every new utterance and every ``silence()``: what is being said stops when it changes.
        var generation = 0
        var stopped = false
    }

    private let queue = Mutex(Queue())
    private let wake = DispatchSemaphore(value: 0)
    private let logger: Logger
    private let onDone: @Sendable (_ generation: Int, _ outcome: Result<Timing, SpeechError>) -> Void

    /// `makeOutput` runs on the speaker's thread, which alone uses the output and espeak-ng; `onDone` hears how each
    /// utterance went.
    public init(
        dataPath: String? = nil, rate: Int = 160, logger: Logger,
        onDone: @escaping @Sendable (_ generation: Int, _ outcome: Result<Timing, SpeechError>) -> Void = { _, _ in },
        makeOutput: @escaping @Sendable () -> any AudioOutput
    ) {
        self.logger = logger
        self.onDone = onDone
        Thread.detachNewThread { [self] in run(dataPath: dataPath, rate: rate, output: makeOutput()) }
    }

    /// Stops what is being said, and says `utterance`; returns its generation, which `onDone` names with its outcome. One
    /// still waiting to be said is dropped, and heard of as cut off before its first sample.
    @discardableResult
    public func say(_ utterance: Utterance) -> Int {
        let (generation, dropped) = queue.withLock { queue -> (Int, Int?) in
            let dropped = queue.pending?.2
            queue.generation += 1
            queue.pending = (utterance, .now, queue.generation)
            return (queue.generation, dropped)
        }
        wake.signal()
        if let dropped { cutOffBeforeItBegan(dropped) }
        return generation
    }

    /// Stops what is being said, and what was waiting to be said (heard of as cut off before its first sample).
    public func silence() {
        let dropped = queue.withLock { queue -> Int? in
            defer { queue.pending = nil }
            queue.generation += 1
            return queue.pending?.2
        }
        if let dropped { cutOffBeforeItBegan(dropped) }
    }

    private func cutOffBeforeItBegan(_ generation: Int) {
        onDone(generation, .success(Timing(firstSample: .zero, total: .zero, samples: 0, sampleRate: 0, interrupted: true)))
    }

    /// Ends the thread.
    public func stop() {
        queue.withLock {
            $0.stopped = true
            $0.pending = nil
            $0.generation += 1
        }
        wake.signal()
    }

    private func run(dataPath: String?, rate: Int, output: any AudioOutput) {
        var synthesizer: Synthesizer?
        var failing: SpeechError?
        while true {
            wake.wait()
            let next = queue.withLock { queue -> (Utterance, ContinuousClock.Instant, Int)? in
                guard !queue.stopped, let pending = queue.pending else { return nil }
                queue.pending = nil
                return pending
            }
            if queue.withLock({ $0.stopped }) { return }
            guard let (utterance, asked, generation) = next else { continue }
            do {
                if synthesizer == nil { synthesizer = try Synthesizer.shared(dataPath: dataPath, rate: rate) }
                guard let synthesizer else { continue }
                let timing = try speak(utterance, asked: asked, generation: generation, synthesizer, output)
                if failing != nil { logger.notice("speech works again") }
                failing = nil
                onDone(generation, .success(timing))
            } catch {
                // One line for a failure, not one a screen: again only once speech worked in between, or it changed.
                if failing != error { logger.warning("speech: \(error); carrying on without sound") }
                failing = error
                onDone(generation, .failure(error))
            }
        }
    }

    private func speak(
        _ utterance: Utterance, asked: ContinuousClock.Instant, generation: Int, _ synthesizer: Synthesizer,
        _ output: any AudioOutput
    ) throws(SpeechError) -> Timing {
        try output.start(sampleRate: synthesizer.sampleRate)
        var first: ContinuousClock.Instant?
        var samples = 0
        var interrupted = false
        var failure: SpeechError?
        do throws(SpeechError) {
            try synthesizer.speak(utterance.text, voice: utterance.voice, volume: utterance.volume) { chunk in
                guard queue.withLock({ $0.generation }) == generation else {
                    interrupted = true
                    return false
                }
                if first == nil { first = .now }
                do throws(SpeechError) {
                    try output.write(chunk)
                } catch {
                    failure = error
                    return false
                }
                samples += chunk.count
                return true
            }
        } catch {
            output.finish(interrupted: true)
            throw error
        }
        output.finish(interrupted: interrupted || failure != nil)
        if let failure { throw failure }
        let now = ContinuousClock.now
        return Timing(
            firstSample: (first ?? now) - asked, total: now - asked, samples: samples, sampleRate: synthesizer.sampleRate,
            interrupted: interrupted)
    }
}
