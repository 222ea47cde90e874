import Foundation
import KioskDrawing
import KioskTesting

#if canImport(Glibc)
    import Glibc
#endif

/// The bench's checks, each a named line with its time (HIL/README.md). The short scenario (`make test`) is boot, the
/// first frame, one tap, one chip read and one hot-plug; `make hil` adds the rest.
struct BenchChecks {
    let bench: Bench
    let log: CheckLog
    /// kioskd's main pid once it is up, to tell a restart from none.
    static let mainPID = "systemctl show kioskd -p MainPID --value"

    /// The ratio's baseline, taken before the VM starts: the same kioskd binary started on the host, on a file-backed
    /// framebuffer with the same flows, from exec to its READY=1 on a notify socket of the test's (as systemd gets it).
    static func hostStart() async throws -> Double {
        let binaries = Bench.imageDirectory + "/../release"
        let dir = try Harness.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = try Harness.config(
            in: dir, front: "framebuffer", extraConfig: "framebuffer:\n  path: \(dir)/fb\n  width: 1080\n  height: 1920\n")
        let notify = try NotifySocket(path: dir + "/notify.sock")
        let started = Date()
        let pid = try Harness.spawn(
            binaries + "/kioskd", ["--config", config, "--front", "framebuffer"], stdout: "/dev/null", stderr: dir + "/err",
            environment: ["NOTIFY_SOCKET": notify.path])
        defer {
            kill(pid, SIGKILL)
            _ = Harness.waitForExit(pid)
        }
        let ready = try await offThread { notify.first(containing: "READY=1", seconds: 60) }
        guard ready != nil else {
            let err = (try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? ""
            throw HarnessError("kioskd did not say READY on the host: \(err.suffix(500))")
        }
        return Date().timeIntervalSince(started)
    }

    /// Boot to the first frame on the VGA device, the agent, READY, and the screen being kioskd's. `hostStart` is the
    /// same kioskd's start on the host, for the ratio.
    func boot(hostStart: Double?) async throws {
        var frameAt = 0.0
        let drawn = await log.check("the first frame after boot, from the real framebuffer") {
            try await Harness.eventually("kioskd's first frame on the VGA device", seconds: 400) {
                try await bench.screen().colours() >= 8
            }
            frameAt = bench.elapsed
            return String(format: "%.1f s after QEMU started", frameAt)
        }
        try await bench.waitForAgent(seconds: 300)
        guard drawn else { throw HarnessError("no frame: \(bench.console.suffix(2000))") }
        await log.check("systemd gets READY only once the control socket answers") {
            try await Harness.eventually("kioskd active", seconds: 120) {
                try await bench.guest("systemctl is-active kioskd").text.hasPrefix("active")
            }
            let post = try await bench.guest("systemctl show kioskd -p ExecStartPost --value").text
            guard post.contains("code=exited"), post.contains("status=0") else {
                throw HarnessError("the check after READY (kioskctl status) did not pass: \(post)")
            }
            let times = try await bench.guest(
                "systemctl show kioskd -p ExecMainStartTimestampMonotonic -p ActiveEnterTimestampMonotonic --value"
            ).text.split(separator: "\n").compactMap { Double($0) }.map { $0 / 1e6 }
            guard times.count == 2 else { throw HarnessError("no start and READY times from systemd") }
            let start = times[1] - times[0]
            let ratio = hostStart.map { String(format: " (host %.2f s, ratio %.1f)", $0, start / $0) } ?? ""
            let ready = String(format: "READY %.1f s after the kernel started; kioskd start to READY %.2f s", times[1], start)
            return ready + ratio + "; kioskctl status answered at READY"
        }
        await log.check("the framebuffer shows what kioskd drew") {
            var likeness = 0.0
            try await Harness.eventually("the VGA frame and kioskd's screenshot to agree", seconds: 30) {
                let shot = try await bench.screenshot()
                likeness = try await bench.screen().likeness(to: shot)
                return likeness >= 0.999
            }
            return String(format: "%.2f%% of sampled pixels equal", likeness * 100)
        }
    }

    /// A tap on QEMU's usb-tablet, through the guest's evdev node and kioskd's grab, presses the button drawn under it.
    func tap() async {
        await log.check("a tap through the real evdev node presses the right button") {
            let button = try StartScreen.button(for: "extract-request")
            let before = try await bench.screen()
            let tapped = Date()
            try await bench.tap(x: Int(button.x + button.width / 2), y: Int(button.y + button.height / 2))
            try await Harness.eventually("the pressed frame", seconds: 30) {
                try await bench.screen().likeness(to: before) < 0.9
            }
            let pressed = Date().timeIntervalSince(tapped)
            try await Harness.eventually("the extract flow's first step", seconds: 30) { try await bench.step() == "welcome" }
            return String(format: "touch to the next frame on the VGA device %.2f s", pressed)
        }
    }

    /// An extract request end to end: the MRZ scanned, the chip read in the USB CCID reader, the request submitted to the
    /// central in the guest, the extract printed on ippeveprinter through CUPS' queue, and no BSN in kioskd's journal.
    func chipRead() async {
        await log.check("an extract request end to end, the chip in the USB reader") {
            if try await bench.step() != "welcome" { _ = try await bench.ctl("press", "start:extract-request") }
            for action in ["next", "option:standard"] { _ = try await bench.ctl("press", action) }
            try await Harness.eventually("identify", seconds: 30) { try await bench.step() == "identify" }
            _ = try await bench.ctl("sim", "scan", Specimen.nlPassport2035)
            let inserted = Date()
            let card = try await USBCard(socket: bench.ccidSocket, mrz: Specimen.nlPassport2035)
            try await Harness.eventually("the chip read (confirm)", seconds: 120) { try await bench.step() == "confirm" }
            let read = Date().timeIntervalSince(inserted)
            _ = try await bench.ctl("press", "next")
            // Paid (the guest's simulated terminal), sent, printed. A central in the guest slower than the fast path gives
            // the receipt ending instead of the extract's: both are the flow's own ends.
            let ends: Set<String> = ["done", "done-queued", "done-offline"]
            var step: String?
            do {
                try await Harness.eventually("the flow's end", seconds: 120) {
                    step = try await bench.step()
                    return ends.contains(step ?? "")
                }
            } catch {
                let phase = try? await bench.ctl("status").text.split(separator: "\n").first { $0.hasPrefix("session") }
                throw HarnessError("\(error); the kiosk is at \(phase.map(String.init) ?? step ?? "?")")
            }
            // The extract and the receipt, as ippeveprinter received them through kioskd's IPP job.
            let printed = try await bench.guest("find /var/spool/kiosk-printer -type f | wc -l").text
            guard let documents = Int(printed.trimmingCharacters(in: .whitespacesAndNewlines)), documents >= 1 else {
                throw HarnessError("nothing reached the printer: \(printed)")
            }
            _ = try await bench.ctl("press", "finish")
            try await card.remove()
            let leaked = try await bench.guest("journalctl -u kioskd --no-pager | grep -c \(Specimen.nlBSN)").text
            guard leaked.trimmingCharacters(in: .whitespacesAndNewlines) == "0" else {
                throw HarnessError("the BSN is in kioskd's journal")
            }
            return String(format: "card in to confirm (PACE, passive and chip authentication, DG1) %.2f s; ", read)
                + "\(documents) documents at the printer; ended at \(step ?? "?")"
        }
    }

    /// A keyboard nobody declared, plugged in: the kernel's connect time (dmesg) against the fault's own first-seen time,
    /// both on the guest's clocks, so the figure holds no polling and no kioskctl start-up. And against the journal's time
    /// of kioskd opening (and grabbing) the new keyboard's node, which it sees appear through inotify.
    func hotPlug() async {
        await log.check("hot-plug of an unknown USB keyboard is a security fault within 2 s") {
            struct Record: Decodable {
                struct Fault: Decodable { var device: String, code: String }
                var fault: Fault
                var firstSeen: Double
            }
            let opened = "journalctl -u kioskd -o short-unix --no-pager | grep 'keyboard /dev/input/event.* open'"
            let before = try await bench.guest(opened + " | wc -l").text.trimmingCharacters(in: .whitespacesAndNewlines)
            try await bench.qmpCommand("device_add", ["driver": "usb-kbd", "bus": "xhci.0", "id": "intruder"])
            var raised: Double?
            try await Harness.eventually("the fault", seconds: 30) {
                let records = try? JSONDecoder().decode([Record].self, from: try await bench.ctl("faults", "--json").output)
                raised = records?.first { $0.fault.device == "usb" && $0.fault.code == "unknown-0627-0001" }?.firstSeen
                return raised != nil
            }
            let clocks = try await bench.guest(
                """
                dmesg | grep 'new .*USB device number' | tail -1 | sed 's/^\\[ *\\([0-9.]*\\)\\].*/\\1/'
                echo "$(date +%s.%N) $(cut -d' ' -f1 /proc/uptime)"
                """
            ).text.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
            guard let raised, clocks.count == 3 else { throw HarnessError("cannot read the times: \(clocks)") }
            let plugged = clocks[1] - clocks[2] + clocks[0]
            let latency = raised - plugged
            guard latency <= 2 else { throw HarnessError(String(format: "the fault came %.2f s after the plug", latency)) }
            var grabbed: Double?
            var node = ""
            try await Harness.eventually("kioskd to hold the new keyboard", seconds: 30) {
                let lines = try await bench.guest(opened).text.split(separator: "\n")
                guard lines.count > Int(before) ?? 0, let last = lines.last else { return false }
                let words = last.split(separator: " ")
                grabbed = words.first.flatMap { Double($0) }
                node = words.first { $0.hasPrefix("/dev/input/event") }.map(String.init) ?? ""
                return grabbed != nil
            }
            let grab = (grabbed ?? 0) - plugged
            guard grab <= 2 else { throw HarnessError(String(format: "the keyboard was grabbed %.2f s after the plug", grab)) }
            // kioskd's own share: from udev's last change to the node (it sets the kiosk group after the kernel makes it),
            // its ctime, to kioskd holding it. The rest is the kernel and udev under TCG.
            let changed = try await bench.guest("stat -c %.9Z \(node)").text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let ready = Double(changed) else { throw HarnessError("no ctime for '\(node)': \(changed)") }
            return String(
                format: "plug to fault %.2f s (kernel connect to the fault's first-seen time); to the keyboard grabbed %.2f s, "
                    + "%.3f s after udev made its node ready",
                latency, grab, (grabbed ?? 0) - ready)
        }
    }
}
