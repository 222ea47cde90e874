import Foundation
import KioskTesting

#if canImport(Glibc)
    import Glibc
#endif

/// The VM bench (HIL/README.md): QEMU under TCG booting the Debian kernel and the image `make hil-image` made, with kioskd
/// installed as a site installs it. The test drives the guest's devices through QMP and looks inside through the agent.
final class Bench: @unchecked Sendable {
    static let width = 1080
    static let height = 1920

    /// The folder with vmlinuz, initrd.img and kiosk.img: `KIOSK_HIL` (the Makefile sets it) or `.build/hil/vm`.
    static var imageDirectory: String {
        ProcessInfo.processInfo.environment["KIOSK_HIL"] ?? Harness.root + "/.build/hil/vm"
    }

    /// The test PKI the image trusts (its CSCA is in the image), which the bench's documents are signed under.
    static var pki: String { imageDirectory + "/../pki" }

    let dir: String
    let qemu: pid_t
    let started: Date
    private(set) var qmp: QMP!
    private(set) var agent: GuestAgent!

    /// Boots the VM and connects to QMP at once; the agent comes later (`waitForAgent`), when the guest has booted.
    init() throws {
        let images = Self.imageDirectory
        for file in ["vmlinuz", "initrd.img", "kiosk.img"] where !FileManager.default.fileExists(atPath: images + "/" + file) {
            throw HarnessError("\(images)/\(file) is missing: run `make hil-image` (make test does)")
        }
        let qemuBinary = try Harness.tool("qemu-system-x86_64", package: "qemu-system-x86")
        dir = try Harness.scratch()
        started = Date()
        // timeout(1) ends QEMU whatever becomes of this process; -snapshot keeps the image as it was made.
        qemu = try Harness.spawn(
            "/usr/bin/timeout", ["--kill-after=5", "1500", qemuBinary] + Self.arguments(images: images, dir: dir),
            stdout: dir + "/qemu.out", stderr: dir + "/qemu.err")
        do {
            qmp = try QMP(path: dir + "/qmp.sock")
        } catch {
            stop()
            let reason = (try? String(contentsOfFile: dir + "/qemu.err", encoding: .utf8)) ?? ""
            throw HarnessError("QEMU did not start: \(error) \(reason)")
        }
    }

    static func arguments(images: String, dir: String) -> [String] {
        [
            "-machine", "q35,accel=tcg,i8042=off", "-cpu", "max", "-smp", "2", "-m", "1024", "-nodefaults", "-no-user-config",
            "-snapshot", "-kernel", images + "/vmlinuz", "-initrd", images + "/initrd.img",
            "-append", "root=/dev/vda rw console=ttyS0 quiet loglevel=4 systemd.show_status=false",
            "-drive", "file=\(images)/kiosk.img,format=raw,if=virtio",
            "-device", "VGA,xres=\(width),yres=\(height)", "-display", "none", "-serial", "file:\(dir)/console.log",
            "-qmp", "unix:\(dir)/qmp.sock,server=on,wait=off",
            "-device", "qemu-xhci,id=xhci", "-device", "usb-tablet,bus=xhci.0,id=panel",
            "-device", "virtio-serial-pci",
            "-chardev", "socket,id=bench,path=\(dir)/bench.sock,server=on,wait=off",
            "-device", "virtserialport,chardev=bench,name=kiosk.bench",
            "-chardev", "socket,id=ccid,path=\(dir)/ccid.sock,server=on,wait=off",
            "-device", "usb-ccid,bus=xhci.0,id=reader", "-device", "ccid-card-passthru,chardev=ccid,id=card",
            // For the reader plugged back in: QEMU 7.2 does not take a chardev back from a removed card.
            "-chardev", "socket,id=ccid2,path=\(dir)/ccid2.sock,server=on,wait=off",
            // A sound card (Intel HDA, a line-out codec) whose output QEMU writes into a WAV file: speech output.
            "-audiodev", "wav,id=speech,path=\(dir)/speech.wav", "-device", "intel-hda,id=sound",
            "-device", "hda-output,audiodev=speech",
            "-nic", "none",
        ]
    }

    var ccidSocket: String { dir + "/ccid.sock" }
    /// What the guest's sound card played, as QEMU writes it.
    var speechFile: String { dir + "/speech.wav" }
    var secondCCIDSocket: String { dir + "/ccid2.sock" }
    var elapsed: Double { Date().timeIntervalSince(started) }

    func waitForAgent(seconds: Double) async throws {
        agent = try await offThread { [dir] in try GuestAgent(path: dir + "/bench.sock", seconds: seconds) }
    }

    /// A shell script run as root in the guest.
    func guest(_ script: String, seconds: Double = 130) async throws -> GuestAgent.Answer {
        let agent = try agentOrThrow()
        return try await offThread { try agent.run(script, seconds: seconds) }
    }

    /// kioskctl in the guest, as a technician runs it there.
    func ctl(_ arguments: String...) async throws -> GuestAgent.Answer {
        try await guest("/usr/local/bin/kioskctl " + arguments.map(Self.quoted).joined(separator: " "))
    }

    /// The step kioskd is on, from its status.
    func step() async throws -> String? {
        struct Status: Decodable { var step: String? }
        let answer = try await ctl("status", "--json")
        return try? JSONDecoder().decode(Status.self, from: answer.output).step
    }

    /// What the VGA device shows now.
    func screen() async throws -> Frame {
        let qmp = try qmpOrThrow()
        let path = dir + "/screen.ppm"
        return try await offThread {
            try qmp.execute("screendump", ["filename": path])
            return try Frame(ppm: try Data(contentsOf: URL(fileURLWithPath: path)))
        }
    }

    /// kioskd's own picture of its screen (`kioskctl screenshot`), fetched from the guest.
    func screenshot() async throws -> Frame {
        let answer = try await guest(
            "/usr/local/bin/kioskctl screenshot /run/kiosk-bench/shot.png >/dev/null && cat /run/kiosk-bench/shot.png")
        guard answer.status == 0 else { throw HarnessError("kioskctl screenshot: \(answer.text)") }
        let path = dir + "/shot.png"
        try answer.output.write(to: URL(fileURLWithPath: path))
        return try Frame(png: path)
    }

    func qmpCommand(_ command: String, _ arguments: [String: Any] = [:]) async throws {
        let qmp = try qmpOrThrow()
        nonisolated(unsafe) let arguments = arguments
        try await offThread { _ = try qmp.execute(command, arguments) }
    }

    func tap(x: Int, y: Int) async throws {
        let qmp = try qmpOrThrow()
        try await offThread { try qmp.tap(x: x, y: y, width: Self.width, height: Self.height) }
    }

    func chord(_ keys: [String]) async throws {
        let qmp = try qmpOrThrow()
        try await offThread { try qmp.chord(keys) }
    }

    /// The guest's serial console (the kernel's warnings), for a failure's message.
    var console: String { (try? String(contentsOfFile: dir + "/console.log", encoding: .utf8)) ?? "" }

    func stop() {
        kill(qemu, SIGTERM)
        for _ in 0..<100 {
            if (try? Harness.reap(qemu)) ?? nil != nil { break }
            usleep(50_000)
        }
        kill(qemu, SIGKILL)
        _ = try? Harness.reap(qemu)
    }

    deinit { stop() }

    private func agentOrThrow() throws -> GuestAgent {
        guard let agent else { throw HarnessError("the guest agent is not connected") }
        return agent
    }

    private func qmpOrThrow() throws -> QMP {
        guard let qmp else { throw HarnessError("QMP is not connected") }
        return qmp
    }

    static func quoted(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
