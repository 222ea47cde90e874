import Foundation
import KioskTesting

/// The checks only `make hil` runs: the lockdown, the reader pulled mid-read, udev, the device cgroup, the unit's exposure,
/// and systemd bringing kioskd back after kill -9 and after its watchdog fired.
extension BenchChecks {
    /// With the intruder's keyboard plugged in: the console's escapes do nothing, and the flow carries on.
    func lockdown() async {
        await log.check("Ctrl-Alt-F2, Ctrl-Alt-Del, Alt-SysRq-B, Ctrl-C, Ctrl-Z, Ctrl-\\ change nothing") {
            // A second keyboard in the cabinet: kioskd must hold it too, not only the first it found.
            try await bench.qmpCommand("device_add", ["driver": "usb-kbd", "bus": "xhci.0", "id": "second"])
            try await Harness.eventually("kioskd to hold the second keyboard", seconds: 30) {
                try await bench.guest("journalctl -u kioskd --no-pager | grep -c 'keyboard /dev/input/event.* open'").text
                    .trimmingCharacters(in: .whitespacesAndNewlines) == "2"
            }
            let before = try await bench.guest("cat /proc/sys/kernel/random/boot_id; \(Self.mainPID); fgconsole").text
            for chord in [
                ["ctrl", "alt", "f2"], ["ctrl", "alt", "delete"], ["alt", "sysrq", "b"], ["ctrl", "c"], ["ctrl", "z"],
                ["ctrl", "backslash"],
            ] {
                try await bench.chord(chord)
            }
            // The same keyboard's "1" then presses the start screen's first button: kioskd holds the keyboard, and every
            // key before it has been through the kernel.
            try await bench.chord(["1"])
            try await Harness.eventually("the key 1 to start a flow", seconds: 30) { try await bench.step() != nil }
            let after = try await bench.guest("cat /proc/sys/kernel/random/boot_id; \(Self.mainPID); fgconsole").text
            guard after == before else { throw HarnessError("before: \(before) after: \(after)") }
            // The grab itself: evtest asks for the same nodes and is told another process holds them.
            let grabbed = try await bench.guest(
                """
                for n in /dev/input/event*; do
                  udevadm info -q property "$n" | grep -q -E '^ID_INPUT_(TOUCHSCREEN|KEYBOARD)=1' || continue
                  timeout 3 evtest --grab "$n" 2>&1 | grep -c 'grabbed by another process'
                done
                """
            ).text.split(separator: "\n")
            guard grabbed.count >= 3, grabbed.allSatisfy({ $0 != "0" }) else {
                throw HarnessError("the panel and both keyboards are not all grabbed: \(grabbed)")
            }
            let gettys = try await bench.guest("systemctl list-units --no-legend 'getty@*' 'autovt@*' | wc -l").text
            guard gettys.trimmingCharacters(in: .whitespacesAndNewlines) == "0" else {
                throw HarnessError("a getty started: \(gettys)")
            }
            _ = try await bench.ctl("press", "finish")
            try await controlWithoutKioskd()
            return
                "panel and 2 keyboards grabbed; same boot, same kioskd, VT 1, no getty; without kioskd Ctrl-Alt-F2 switches to VT 2"
        }
    }

    /// The check's control: with kioskd stopped (it gives the console back), the same keyboard's Ctrl-Alt-F2 does switch
    /// the VT. Without it, a keyboard whose keys never arrived would pass the lockdown too.
    func controlWithoutKioskd() async throws {
        _ = try await bench.guest("systemctl stop kioskd")
        try await bench.chord(["ctrl", "alt", "f2"])
        try await Harness.eventually("VT 2 with kioskd stopped", seconds: 30) {
            try await bench.guest("fgconsole").text == "2\n"
        }
        _ = try await bench.guest("chvt 1 && systemctl start kioskd")
        try await Harness.eventually("kioskd back", seconds: 60) { try await bench.ctl("status").status == 0 }
    }

    /// The reader pulled while the chip is read: kioskd asks for the card again, and takes the reader back when it returns.
    func readerPulledMidRead() async {
        await log.check("the reader pulled mid-read asks for the card again; it comes back without a restart") {
            let pid = try await bench.guest(Self.mainPID).text
            if try await bench.step() != nil { _ = try await bench.ctl("press", "finish") }
            for action in ["start:extract-request", "next", "option:standard"] { _ = try await bench.ctl("press", action) }
            _ = try await bench.ctl("sim", "scan", Specimen.nlPassport2035)
            let card = try await USBCard(socket: bench.ccidSocket, mrz: Specimen.nlPassport2035, apduDelay: 150)
            try await card.waitForFirstCommand()
            let reader = "/usr/local/bin/kioskctl status | grep -A1 qemu-ccid-reader"
            let before = try await bench.guest(reader).text
            try await card.silence()
            try await bench.qmpCommand("device_del", ["id": "reader"])
            // kioskd's own account of the reader changes (its state, or its counters of reads that broke off).
            try await Harness.eventually("kioskd to see the reader go", seconds: 60) {
                try await bench.guest(reader).text != before
            }
            // Still on the identify step, waiting for a card: not sent to the counter, not failed.
            guard try await bench.step() == "identify", try await bench.ctl("status").text.contains("identify") else {
                throw HarnessError("the pulled reader ended the step: \(try await bench.ctl("status").text)")
            }
            let back = Date()
            try await bench.qmpCommand("device_add", ["driver": "usb-ccid", "bus": "xhci.0", "id": "reader2"])
            try await bench.qmpCommand("device_add", ["driver": "ccid-card-passthru", "chardev": "ccid2", "id": "card2"])
            let again = try await USBCard(socket: bench.secondCCIDSocket, mrz: Specimen.nlPassport2035)
            try await Harness.eventually("the chip read on the reader that came back", seconds: 120) {
                try await bench.step() == "confirm"
            }
            let seconds = Date().timeIntervalSince(back)
            try await again.remove()
            _ = try await bench.ctl("press", "finish")
            guard try await bench.guest(Self.mainPID).text == pid else { throw HarnessError("kioskd restarted") }
            return String(format: "reader back to the chip read %.1f s, same kioskd", seconds)
        }
    }

    /// The kiosk user reaches the framebuffer, the panel and the keyboard, and none of the other input nodes or disks.
    func udevRules() async {
        await log.check("the udev rules give the kiosk user its devices and nothing more") {
            let script = """
                can() { setpriv --reuid=kiosk --regid=kiosk --init-groups test -r "$1" && echo "$1 yes" || echo "$1 no"; }
                can /dev/fb0
                for n in /dev/input/event*; do
                  kind=$(udevadm info -q property "$n" | grep -E '^ID_INPUT_(TOUCHSCREEN|KEYBOARD)=1' | head -1)
                  echo "$(can "$n") ${kind:-other}"
                done
                can /dev/vda; can /dev/mem; can /dev/input/mice
                """
            let lines = try await bench.guest(script).text.split(separator: "\n").map(String.init)
            var wrong: [String] = []
            for line in lines {
                let expected = line.hasPrefix("/dev/fb0") || line.contains("ID_INPUT_")
                if line.contains(" yes") != expected { wrong.append(line) }
            }
            guard lines.count >= 6 else { throw HarnessError("too few answers: \(lines)") }
            guard wrong.isEmpty else { throw HarnessError("wrong: \(wrong)") }
            return "\(lines.filter { $0.contains(" yes") }.count) readable, \(lines.filter { $0.contains(" no") }.count) not"
        }
    }

    /// DevicePolicy=closed with DeviceAllow: even root, inside kioskd's cgroup, cannot open a disk.
    func deviceAllow() async {
        await log.check("DeviceAllow refuses a device outside the list") {
            let answer = try await bench.guest(
                """
                echo $$ > /sys/fs/cgroup/system.slice/kioskd.service/cgroup.procs
                head -c 1 /dev/fb0 > /dev/null && echo "fb0 opened"
                head -c 1 /dev/vda > /dev/null 2>&1 || echo "vda refused"
                """)
            guard answer.text.contains("fb0 opened"), answer.text.contains("vda refused") else {
                throw HarnessError(answer.text)
            }
            return "/dev/fb0 opens, /dev/vda does not, as root in kioskd's cgroup"
        }
    }

    /// systemd-analyze security's overall exposure for the unit, kept at OK or better.
    func exposure() async {
        await log.check("systemd-analyze security kioskd.service is OK or better") {
            let text = try await bench.guest("systemd-analyze security kioskd.service --no-pager | tail -1").text
            guard let match = text.firstMatch(of: /exposure level for kioskd.service: ([0-9.]+) ([A-Z]+)/) else {
                throw HarnessError(text)
            }
            guard ["PERFECT", "SAFE", "OK"].contains(String(match.2)) else { throw HarnessError(text) }
            return "exposure \(match.1) \(match.2)"
        }
    }

    /// kill -9: Restart=always brings kioskd back, and its socket answers.
    func killed() async {
        await log.check("Restart=always brings kioskd back after kill -9") {
            let pid = try await bench.guest(Self.mainPID).text
            let killed = Date()
            _ = try await bench.guest("systemctl kill -s KILL kioskd")
            try await newKioskd(replacing: pid, seconds: 120)
            return String(format: "back and answering in %.1f s", Date().timeIntervalSince(killed))
        }
    }

    /// Waits for systemd's next kioskd (another main pid than `pid`) and for its socket to answer.
    func newKioskd(replacing pid: String, seconds: Double) async throws {
        try await Harness.eventually("a new kioskd that answers", seconds: seconds) {
            let now = try await bench.guest(Self.mainPID).text
            guard now != pid, now != "0\n" else { return false }
            return try await bench.ctl("status").status == 0
        }
    }

    /// The hidden wedge (compiled into the bench's build only) blocks the engine: no more watchdog pings, and systemd
    /// restarts kioskd within WatchdogSec.
    func watchdog() async {
        await log.check("a wedged engine is restarted by the watchdog") {
            let pid = try await bench.guest(Self.mainPID).text
            let wedged = Date()
            _ = try await bench.guest("setsid timeout 200 /usr/local/bin/kioskctl debug-wedge > /dev/null 2>&1 < /dev/null &")
            try await newKioskd(replacing: pid, seconds: 150)
            let seconds = Date().timeIntervalSince(wedged)
            let journal = try await bench.guest("journalctl -u kioskd --no-pager | grep -c 'Watchdog timeout'").text
            guard journal.trimmingCharacters(in: .whitespacesAndNewlines) != "0" else {
                throw HarnessError("kioskd restarted, but not by the watchdog")
            }
            return String(format: "wedged to restarted %.1f s (WatchdogSec=30)", seconds)
        }
    }
}

extension BenchChecks {
    /// The outbox key comes in as a systemd credential, never beside the data, and every state file is private.
    func dataAtRest() async {
        await log.check("the outbox key is a credential; kioskd's files are 0600, its folders 0700") {
            let answer = try await bench.guest(
                """
                cd /var/lib/kioskd || exit 1
                test -e outbox.key && echo "a key beside the outbox"
                find . -type f ! -perm 600 -printf 'file %p %m\\n'
                find . -type d ! -perm 700 -printf 'folder %p %m\\n'
                find . -type f | wc -l
                """)
            let lines = answer.text.split(separator: "\n")
            guard answer.status == 0, lines.count == 1, let files = Int(lines[0]), files > 0 else {
                throw HarnessError(answer.text)
            }
            return "\(files) files, all private, no key among them"
        }
    }
}

extension BenchChecks {
    /// pcscd's socket is root's and the kiosk group's: another local user gets no reader, the kiosk user and root do.
    func pcscdForTheKioskOnly() async {
        await log.check("pcscd answers only the kiosk user (and root)") {
            let script = """
                as() { setpriv --reuid="$1" --regid="$2" --init-groups /usr/local/bin/kioskctl cardreader status > /dev/null 2>&1 \\
                  && echo "$1 reads" || echo "$1 refused"; }
                as kiosk kiosk; as nobody nogroup; /usr/local/bin/kioskctl cardreader status > /dev/null 2>&1 && echo "root reads"
                """
            let answer = try await bench.guest(script).text
            guard answer == "kiosk reads\nnobody refused\nroot reads\n" else { throw HarnessError(answer) }
            return "kiosk and root read, nobody is refused"
        }
    }
}
