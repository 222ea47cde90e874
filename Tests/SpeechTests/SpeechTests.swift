import Foundation
import KioskTesting
import Logging
import Speech
import Synchronization
import Testing

/// espeak-ng to a WAV file or a sound card, on the speaker's thread: what is said is all there, new speech stops the old,
/// and a missing device or voice is one log line while the kiosk carries on.
@Suite(.serialized) struct SpeechTests {
    /// espeak-ng is one per process (it keeps its state in globals), and the speakers of these tests make their own on
    /// their threads: the suite is serialized, and this one is used from the test's thread only between them.
    static func samples(_ text: String, voice: String) throws -> [Int16] {
        let synthesizer = try Synthesizer.shared()
        var samples: [Int16] = []
        try synthesizer.speak(text, voice: voice) { chunk in
            samples += chunk
            return true
        }
        return samples
    }

    /// A speaker whose utterances' outcomes arrive on a stream.
    static func speaker(
        logger: Logger = Logger(label: "speech-test"), makeOutput: @escaping @Sendable () -> any AudioOutput
    ) -> (Speaker, AsyncStream<Result<Speaker.Timing, SpeechError>>) {
        let (spoken, said) = AsyncStream.makeStream(of: Result<Speaker.Timing, SpeechError>.self)
        return (Speaker(logger: logger, onDone: { said.yield($1) }, makeOutput: makeOutput), spoken)
    }

    static func wav(_ path: String) throws -> (sampleRate: Int, samples: [Int16]) {
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        try #require(data.count >= 44)
        func le32(_ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(data[at + $1]) << (8 * $1) } }
        #expect(Array(data[0..<4]) == Array("RIFF".utf8) && Array(data[8..<16]) == Array("WAVEfmt ".utf8))
        #expect(le32(4) == data.count - 8, "the RIFF size is the file's")
        #expect(le32(40) == data.count - 44, "the data size is the samples'")
        let samples = stride(from: 44, to: data.count - 1, by: 2).map {
            Int16(bitPattern: UInt16(data[$0]) | UInt16(data[$0 + 1]) << 8)
        }
        return (le32(24), samples)
    }

    @Test func bothLanguagesSpeakAtANormalPace() throws {
        let dutch = try Self.samples("Uittreksel uit de basisregistratie personen aanvragen.", voice: "nl")
        let english = try Self.samples("Request an extract from the population register.", voice: "en")
        let rate = try Synthesizer.shared().sampleRate
        #expect(rate == 22_050)
        // Speech at a normal pace: about 2 to 6 seconds for these.
        for samples in [dutch, english] {
            let seconds = Double(samples.count) / Double(rate)
            #expect(seconds > 1.5 && seconds < 8, "\(seconds) s")
            #expect(samples.contains { abs(Int($0)) > 1000 }, "not silence")
        }
        let again = try Self.samples("Uittreksel uit de basisregistratie personen aanvragen.", voice: "nl")
        #expect(SpeechLength.about(again.count, dutch.count))
    }

    @Test func theSpeakerWritesAWAVFileHoldingAllItSaid() async throws {
        let path = try Harness.scratch() + "/speech.wav"
        let (speaker, spoken) = Self.speaker { WAVFileOutput(path: path) }
        defer { speaker.stop() }
        var timings = spoken.makeAsyncIterator()
        speaker.say(Utterance("Welkom bij de Stadswinkel.", voice: "nl"))
        let first = try #require(await timings.next()).get()
        speaker.say(Utterance("Welcome to the city office.", voice: "en"))
        let second = try #require(await timings.next()).get()
        #expect(!first.interrupted && !second.interrupted)
        let file = try Self.wav(path)
        #expect(file.sampleRate == first.sampleRate)
        #expect(file.samples.count == first.samples + second.samples)
        let dutch = try Self.samples("Welkom bij de Stadswinkel.", voice: "nl").count
        let english = try Self.samples("Welcome to the city office.", voice: "en").count
        #expect(SpeechLength.about(first.samples, dutch), "\(first.samples) samples, alone \(dutch)")
        #expect(SpeechLength.about(second.samples, english), "\(second.samples) samples, alone \(english)")
        #expect(!SpeechLength.about(first.samples, english), "the lengths tell the two apart")
        #expect(file.samples.contains { abs(Int($0)) > 1000 }, "not silence")
        #expect(first.firstSample <= first.total)
    }

    @Test func newSpeechStopsTheOld() async throws {
        let path = try Harness.scratch() + "/speech.wav"
        let gate = GatedOutput(WAVFileOutput(path: path))
        let (speaker, spoken) = Self.speaker { gate }
        defer { speaker.stop() }
        var timings = spoken.makeAsyncIterator()
        let long = String(repeating: "Dit is een lange zin die de kiosk voorleest. ", count: 20)
        speaker.say(Utterance(long, voice: "nl"))
        await gate.firstWrite()
        speaker.say(Utterance("Stop.", voice: "nl"))
        gate.open()
        let cut = try #require(await timings.next()).get()
        #expect(cut.interrupted)
        let stop = try #require(await timings.next()).get()
        #expect(!stop.interrupted)
        let all = try Self.samples(long, voice: "nl")
        #expect(cut.samples < all.count / 4, "cut off within a chunk or two: \(cut.samples) of \(all.count)")
        #expect(SpeechLength.about(stop.samples, try Self.samples("Stop.", voice: "nl").count), "the new one whole")
        #expect(try Self.wav(path).samples.count == cut.samples + stop.samples)
    }

    /// Each outcome names the utterance it is of, so that a technician's test sentence is not answered with the outcome
    /// of the screen it cut off; an utterance replaced before it began is heard of too, as cut off.
    @Test func eachOutcomeNamesItsUtterance() async throws {
        let path = try Harness.scratch() + "/speech.wav"
        let (outcomes, heard) = AsyncStream.makeStream(of: (Int, Result<Speaker.Timing, SpeechError>).self)
        let speaker = Speaker(logger: Logger(label: "speech-test"), onDone: { heard.yield(($0, $1)) }) {
            WAVFileOutput(path: path)
        }
        defer { speaker.stop() }
        let long = speaker.say(Utterance(String(repeating: "Een lange zin. ", count: 40), voice: "nl"))
        let short = speaker.say(Utterance("Stop.", voice: "nl"))
        #expect(short == long + 1)
        var byGeneration: [Int: Speaker.Timing] = [:]
        for await (generation, outcome) in outcomes {
            byGeneration[generation] = try outcome.get()
            if byGeneration.count == 2 { break }
        }
        #expect(byGeneration[long]?.interrupted == true)
        #expect(byGeneration[short]?.interrupted == false && (byGeneration[short]?.samples ?? 0) > 0)
    }

    @Test func noAudioDeviceIsOneLineAndTheKioskCarriesOn() async throws {
        let lines = RecordingLogHandler.Lines()
        let path = try Harness.scratch() + "/speech.wav"
        let plugged = Flag()
        // First a sound card that is not there, then (a technician plugged it in) one that works.
        let (speaker, spoken) = Self.speaker(logger: RecordingLogHandler.logger(lines)) {
            SwitchingOutput(ALSAOutput(device: "hw:CARD=NoSuchCard"), WAVFileOutput(path: path), useSecond: plugged)
        }
        defer { speaker.stop() }
        var outcomes = spoken.makeAsyncIterator()
        for text in ["Een.", "Twee."] {
            speaker.say(Utterance(text, voice: "nl"))
            let failure = try #require(await outcomes.next())
            #expect(throws: SpeechError.self) { try failure.get() }
            if case .failure(let error) = failure { #expect(error.kind == .device) }
        }
        plugged.value.store(true, ordering: .relaxed)
        speaker.say(Utterance("Drie.", voice: "xx-none"))
        if case .failure(let error) = try #require(await outcomes.next()) {
            #expect(error.kind == .voice)
        } else {
            Issue.record("a voice that is not there said something")
        }
        speaker.say(Utterance("Vier.", voice: "nl"))
        let four = try #require(await outcomes.next()).get()
        let vier = try Self.samples("Vier.", voice: "nl").count
        #expect(SpeechLength.about(four.samples, vier), "\(four.samples) samples, alone \(vier)")
        #expect(
            lines.all == [
                "warning speech: no audio device: hw:CARD=NoSuchCard: No such device; carrying on without sound",
                "warning speech: no voice: espeak-ng has no voice xx-none; carrying on without sound",
                "notice speech works again",
            ], "one line each, never what was being said")
    }
}

final class Flag: Sendable {
    let value = Atomic(false)
}

/// Holds the first write until the test lets it go: the speaker is then mid-sentence, as with a sound card that plays in
/// real time.
final class GatedOutput: AudioOutput, @unchecked Sendable {
    let inner: WAVFileOutput
    private let started = DispatchSemaphore(value: 0)
    private let gate = DispatchSemaphore(value: 0)
    private var writes = 0

    init(_ inner: WAVFileOutput) { self.inner = inner }

    func start(sampleRate: Int) throws(SpeechError) { try inner.start(sampleRate: sampleRate) }

    func write(_ samples: UnsafeBufferPointer<Int16>) throws(SpeechError) {
        writes += 1
        if writes == 1 {
            started.signal()
            gate.wait()
        }
        try inner.write(samples)
    }

    func finish(interrupted: Bool) { inner.finish(interrupted: interrupted) }

    func firstWrite() async {
        await withCheckedContinuation { done in
            Thread.detachNewThread {
                self.started.wait()
                done.resume()
            }
        }
    }

    func open() { gate.signal() }
}

/// One output until `useSecond` is set, then the other.
final class SwitchingOutput: AudioOutput {
    let first: any AudioOutput
    let second: any AudioOutput
    let useSecond: Flag
    var current: any AudioOutput { useSecond.value.load(ordering: .relaxed) ? second : first }

    init(_ first: any AudioOutput, _ second: any AudioOutput, useSecond: Flag) {
        self.first = first
        self.second = second
        self.useSecond = useSecond
    }

    func start(sampleRate: Int) throws(SpeechError) { try current.start(sampleRate: sampleRate) }
    func write(_ samples: UnsafeBufferPointer<Int16>) throws(SpeechError) { try current.write(samples) }
    func finish(interrupted: Bool) { current.finish(interrupted: interrupted) }
}
