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

    /// A headset in the jack on a real kernel: QEMU's HDA codec senses no jack, so kiosk-bench-jack makes one through uinput
    /// with the phys a sound card's jack has ("ALSA"). kioskd (`headset: auto`) sees the node appear (inotify), opens it,
    /// and follows its switch: plugged in is speech mode with the headset, pulled out is speech off. Then a device that
    /// only claims to be a jack (its phys a USB port, what a programmable stick would have) is never even opened.
    func headset() async {
        await log.check("a headset in the jack starts speech mode and pulling it stops it (SW_HEADPHONE_INSERT)") {
            func speechLine() async throws -> String {
                let status = try await bench.ctl("status").text
                return status.split(separator: "\n").first { $0.hasPrefix("speech") }.map(String.init) ?? status
            }
            func jack(_ phys: String, _ fifo: String) async throws -> String {
                let answer = try await bench.guest(
                    """
                    modprobe uinput && rm -f \(fifo) \(fifo).log && mkfifo \(fifo) && \
                    (setsid kiosk-bench-jack '\(phys)' \(fifo) > \(fifo).log 2>&1 < /dev/null &) && \
                    for i in $(seq 100); do grep -q '^ready' \(fifo).log 2>/dev/null && break; sleep 0.1; done; cat \(fifo).log
                    """)
                guard answer.text.hasPrefix("ready input") else { throw HarnessError("kiosk-bench-jack: \(answer.text)") }
                let sysname = answer.text.dropFirst("ready ".count).trimmingCharacters(in: .whitespacesAndNewlines)
                return try await bench.guest("basename /sys/devices/virtual/input/\(sysname)/event*").text
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            // The kernel hands a freed event number out again, so each count starts at a journal cursor.
            func opened(_ node: String, after cursor: String) -> String {
                "journalctl -u kioskd --no-pager --after-cursor='\(cursor)' | grep -c 'headset /dev/input/\(node) open' || true"
            }
            func cursor() async throws -> String {
                let shown = try await bench.guest("journalctl -u kioskd --no-pager -n 1 --show-cursor | tail -1").text
                guard shown.hasPrefix("-- cursor: ") else { throw HarnessError("no journal cursor: \(shown)") }
                return shown.dropFirst("-- cursor: ".count).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let start = try await cursor()
            let jackNode = try await jack("ALSA", "/run/jack")
            try await Harness.eventually("kioskd to open the jack", seconds: 30) {
                try await bench.guest(opened(jackNode, after: start)).text.hasPrefix("1")
            }
            _ = try await bench.guest("echo in > /run/jack")
            var on = ""
            try await Harness.eventually("speech mode with the headset", seconds: 30) {
                on = try await speechLine()
                return on.contains("speech   on") && on.contains("headset")
            }
            let sent = try await bench.guest("grep '^in ' /run/jack.log | cut -d' ' -f2").text
            let heard = try await bench.guest(
                "journalctl -u kioskd -o short-unix --no-pager | grep 'headset plugged in' | tail -1 | cut -d' ' -f1"
            ).text
            guard let sentAt = Double(sent.trimmingCharacters(in: .whitespacesAndNewlines)),
                let heardAt = Double(heard.trimmingCharacters(in: .whitespacesAndNewlines))
            else { throw HarnessError("no times: '\(sent)' '\(heard)'") }
            _ = try await bench.guest("echo out > /run/jack")
            try await Harness.eventually("speech off with the headset out", seconds: 30) {
                try await !speechLine().contains("speech   on")
            }
            // The jack goes; a device that only claims to be one comes, then a sound card's jack again. kioskd opens the
            // second jack (so it looked after the claimant came) and never the claimant.
            _ = try await bench.guest("echo gone > /run/jack")
            let before = try await cursor()
            let claimant = try await jack("usb-0000:00:04.0-1/input0", "/run/claimant")
            _ = try await bench.guest("echo in > /run/claimant")
            let second = try await jack("ALSA", "/run/jack")
            try await Harness.eventually("kioskd to open the second jack", seconds: 30) {
                try await bench.guest(opened(second, after: before)).text.hasPrefix("1")
            }
            guard try await bench.guest(opened(claimant, after: before)).text.hasPrefix("0") else {
                throw HarnessError("kioskd opened the claimant's \(claimant) as a headset")
            }
            guard try await !speechLine().contains("speech   on") else {
                throw HarnessError("speech is on after the claimant's plug: \(try await speechLine())")
            }
            _ = try await bench.guest("echo gone > /run/jack; echo gone > /run/claimant")
            return String(format: "jack in to speech mode %.3f s (uinput write to kioskd's log line); ", heardAt - sentAt)
                + "\(on.split(separator: ";").first.map(String.init) ?? ""); a USB-phys claimant never opened"
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
