import Foundation
import KioskControl
import KioskCore
import KioskTesting
import Speech
import Testing
import Touch

/// kioskd reading its screens aloud into a WAV file (`speech: {output: …}`), as a resident walks a flow: every screen is
/// said, in the language it shows; a headset in the jack (a FIFO standing in for its evdev node) starts speech mode and
/// pulling it stops it.
@Suite(.serialized) struct SpeechOutputTests {
    static func speech(_ kiosk: RunningKiosk) async throws -> SpeechReport {
        let out = try await kiosk.ctl("status", "--json")
        let report = try JSONDecoder().decode(StatusReport.self, from: Data(out.stdout.utf8))
        return try #require(report.speech, "kioskctl status has no speech")
    }

    /// Waits for the kiosk to have said `count` utterances to the end, and returns its report.
    static func said(_ count: Int, _ kiosk: RunningKiosk, _ what: String) async throws -> SpeechReport {
        var report: SpeechReport?
        try await Harness.eventually("speech for \(what)", seconds: 20) {
            report = try await speech(kiosk)
            return report!.spoken >= count
        }
        return report!
    }

    /// How many samples espeak-ng makes for a shipped screen in speech mode, said over the loudspeaker.
    static func expectedSamples(_ place: KioskState.Place, _ language: Language, after: [String] = []) throws -> Int {
        let runner = try ShippedScreens.runner()
        var state = ShippedScreens.healthy(language)
        state.speech.on = true
        state.place = place
        // The steps behind it, so that the screen offers "back" as the kiosk's does.
        state.history = after
        let script = SpeechScript.of(runner.screen(for: state), privateAudio: false)
        var count = 0
        try Synthesizer.shared().speak(script.text, voice: language.rawValue) { chunk in
            count += chunk.count
            return true
        }
        return count
    }

    @Test func walkingTheExtractFlowSpeaksEveryScreenInItsLanguage() async throws {
        let dir = try Harness.scratch()
        let wav = dir + "/speech.wav"
        let kiosk = try await RunningKiosk(extraConfig: "speech:\n  output: \(wav)\n  headset: none\n")
        #expect(try await Self.speech(kiosk).spoken == 0, "silent until asked")
        _ = try await kiosk.ctl("press", "read-aloud")
        var report = try await Self.said(1, kiosk, "the start screen")
        #expect(report.on && !report.headset)
        #expect(SpeechLength.about(report.lastSamples, try Self.expectedSamples(.home, .nl)), "\(report.lastSamples)")
        var spoken = 1
        // Each screen the resident waits on is said whole, in the language it shows.
        let walk: [(press: String, step: String, language: Language)] = [
            ("start:extract-request", "welcome", .nl), ("language", "welcome", .en), ("next", "product", .en),
            ("language", "product", .nl),
        ]
        for step in walk {
            _ = try await kiosk.ctl("press", step.press)
            spoken += 1
            report = try await Self.said(spoken, kiosk, "\(step.step) in \(step.language)")
            let expected = try Self.expectedSamples(
                .step(flow: "extract-request", step: step.step), step.language,
                after: step.step == "welcome" ? [] : ["welcome"])
            #expect(SpeechLength.about(report.lastSamples, expected), "\(step.step), \(step.language): \(report.lastSamples)")
            let other = try Self.expectedSamples(
                .step(flow: "extract-request", step: step.step), step.language == .nl ? .en : .nl,
                after: step.step == "welcome" ? [] : ["welcome"])
            #expect(!SpeechLength.about(report.lastSamples, other), "\(step.step): the other language is told apart")
        }
        // On to the end: the document, the confirm screen, the answer with its numbers. Screens that pass quickly (reading
        // the chip) may be cut off by the next; the ones the resident waits on are said to the end.
        _ = try await kiosk.ctl("press", "option:standard")
        try await Harness.eventually("identify") { try await kiosk.step() == "identify" }
        _ = try await kiosk.ctl("sim", "scan", Specimen.nlPassport2035)
        _ = try await kiosk.ctl("sim", "card", "present", "--mrz", Specimen.nlPassport2035)
        try await Harness.eventually("confirm") { try await kiosk.step() == "confirm" }
        report = try await Self.said(report.spoken + 1, kiosk, "the confirm screen")
        _ = try await kiosk.ctl("press", "next")
        try await Harness.eventually("done") { try await kiosk.step()?.hasPrefix("done") == true }
        report = try await Self.said(report.spoken + 1, kiosk, "the done screen")
        #expect(report.failure == nil)
        // The file holds all of it: a valid WAV, at least as long as what was said to the end.
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: wav)))
        func le32(_ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(data[at + $1]) << (8 * $1) } }
        #expect(Array(data[0..<4]) == Array("RIFF".utf8) && le32(24) == 22_050)
        #expect(le32(40) == data.count - 44)
        let seconds = Double(data.count - 44) / 2 / 22_050
        #expect(seconds > 30, "\(seconds) s of speech for \(report.spoken) screens")
        #expect(!kiosk.log.contains(Specimen.nlPassport2035.prefix(9)), "no document number in the log")
        #expect(try await kiosk.stop() == 0)
    }

    /// Through ALSA itself: a PCM of the `file` plugin (in the kiosk user's ~/.asoundrc) takes what a sound card would play.
    @Test func theSoundCardGetsTheSamplesThroughALSA() async throws {
        let dir = try Harness.scratch()
        let raw = dir + "/played.raw"
        try """
        pcm.kiosktest {
            type file
            slave.pcm "null"
            file "\(raw)"
            format "raw"
        }
        """.write(toFile: dir + "/.asoundrc", atomically: true, encoding: .utf8)
        let kiosk = try await RunningKiosk(
            extraConfig: "speech:\n  device: kiosktest\n  headset: none\n", environment: ["HOME": dir])
        _ = try await kiosk.ctl("press", "read-aloud")
        let report = try await Self.said(1, kiosk, "the start screen")
        #expect(report.output == "ALSA kiosktest" && report.failure == nil)
        let played = (try? FileManager.default.attributesOfItem(atPath: raw)[.size] as? Int) ?? 0
        #expect(played == report.lastSamples * 2, "16-bit mono: \(played) bytes for \(report.lastSamples) samples")
        // A technician's test sentence, with speech mode off: said, and the bytes reach the sound card.
        _ = try await kiosk.ctl("press", "read-aloud")
        let test = try await kiosk.ctl("speech", "test")
        #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
        #expect(test.stdout.hasPrefix("said ") && test.stdout.contains("s of speech in nl to ALSA kiosktest"), "\(test.stdout)")
        let after = (try? FileManager.default.attributesOfItem(atPath: raw)[.size] as? Int) ?? 0
        #expect(after > played, "the test sentence reached the sound card")
        #expect(try await kiosk.stop() == 0)
    }

    /// No sound card: one log line, the status says why, and the resident's flow goes on.
    @Test func noSoundCardIsOneLineAndTheKioskServes() async throws {
        let kiosk = try await RunningKiosk(extraConfig: "speech:\n  device: hw:CARD=Gone\n  headset: none\n")
        _ = try await kiosk.ctl("press", "read-aloud")
        try await Harness.eventually("the failure in the status") { try await Self.speech(kiosk).failure != nil }
        for action in ["start:extract-request", "next", "back", "next"] { _ = try await kiosk.ctl("press", action) }
        try await Harness.eventually("the product step") { try await kiosk.step() == "product" }
        #expect(try await Self.speech(kiosk).failure == "no audio device: hw:CARD=Gone: No such device")
        let lines = kiosk.log.split(separator: "\n").filter { $0.contains("speech: no audio device") }
        #expect(lines.count == 1, "one line, not one a screen: \(lines)")
        let test = try await kiosk.ctl("speech", "test")
        #expect(test.status == 1)
        #expect(test.stdout == "speech: no audio device: hw:CARD=Gone: No such device\n", "\(test.stdout)")
        #expect(try await kiosk.stop() == 0)
    }

    @Test func aHeadsetInTheJackStartsSpeechAndPullingItStopsIt() async throws {
        let dir = try Harness.scratch()
        let jack = dir + "/jack"
        try #require(mkfifo(jack, 0o600) == 0)
        let kiosk = try await RunningKiosk(
            extraConfig: "speech:\n  output: \(dir)/speech.wav\n  headset: \(jack)\n")
        let writer = try await Harness.fifoWriter(jack)
        func send(_ events: [InputEvent]) {
            let bytes = events.flatMap(\.bytes)
            _ = bytes.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
        }
        let syn = InputEvent(seconds: 1, type: 0, code: 0, value: 0)
        send([InputEvent(seconds: 1, type: InputEvent.switchEvent, code: InputEvent.headphoneInsert, value: 1), syn])
        let report = try await Self.said(1, kiosk, "the start screen, into the headset")
        #expect(report.on && report.headset)
        #expect(kiosk.log.contains("headset plugged in: reading aloud"))
        // A keypad's junk on the same node changes nothing.
        send([InputEvent(seconds: 2, type: 5, code: 0x7F, value: 1), InputEvent(seconds: 2, type: 1, code: 999, value: 1), syn])
        send([InputEvent(seconds: 3, type: InputEvent.switchEvent, code: InputEvent.headphoneInsert, value: 0), syn])
        try await Harness.eventually("speech off") { try await !Self.speech(kiosk).on }
        send([InputEvent(seconds: 4, type: InputEvent.switchEvent, code: InputEvent.headphoneInsert, value: 1), syn])
        try await Harness.eventually("speech on again") { try await Self.speech(kiosk).headset }
        // The sound card goes (a USB headset adapter pulled): its node is gone, and that is a pulled headset.
        close(writer)
        try await Harness.eventually("speech off with the jack gone") { try await !Self.speech(kiosk).on }
        #expect(try await kiosk.stop() == 0)
    }
}
