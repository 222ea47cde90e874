import Foundation
import KioskTesting

extension BenchChecks {
    /// Speech output on a real kernel: "read aloud" pressed, espeak-ng's samples through ALSA and snd-hda-intel to QEMU's
    /// HDA codec, whose output lands in a WAV file on the host, with kioskd under its hardened unit (DeviceAllow for
    /// the sound card, the audio group). Sound is there when the WAV holds samples that are not silence.
    func speech() async {
        await log.check("read aloud plays through the guest's sound card (snd-hda-intel)") {
            let pressed = Date()
            _ = try await bench.ctl("press", "read-aloud")
            var loud = 0
            try await Harness.eventually("sound at QEMU's sound card", seconds: 90) {
                loud = Self.loudSamples(in: bench.speechFile)
                return loud > 2_000
            }
            let heard = Date().timeIntervalSince(pressed)
            let status = try await bench.ctl("status").text
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("speech") }),
                line.contains("speech   on"), !line.contains("silent")
            else { throw HarnessError("kioskctl status: \(status)") }
            _ = try await bench.ctl("press", "read-aloud")
            return String(format: "read-aloud to sound at the emulated sound card %.2f s; ", heard)
                + "\(loud) samples above silence; \(line.split(separator: ";").first.map(String.init) ?? "")"
        }
    }

    /// Samples louder than a whisper in a 16-bit WAV file (QEMU writes its header's sizes only at exit).
    static func loudSamples(in path: String) -> Int {
        guard let data = FileManager.default.contents(atPath: path), data.count > 44 else { return 0 }
        return data.dropFirst(44).withUnsafeBytes { raw in
            raw.bindMemory(to: Int16.self).reduce(0) { $0 + (abs(Int($1)) > 500 ? 1 : 0) }
        }
    }
}
