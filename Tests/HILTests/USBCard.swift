import Foundation
import KioskTesting

#if canImport(Glibc)
    import Glibc
#endif

/// A passport chip in the VM's USB CCID reader: kiosk-emrtd on the host speaking VSCard to QEMU's ccid-card-passthru,
/// so the guest's libccid and pcscd see a card in a real USB reader.
final class USBCard: Sendable {
    let pid: pid_t
    let dir: String

    /// Puts the card in and waits until QEMU has taken its ATR.
    init(socket: String, mrz: String, apduDelay: Int = 0) async throws {
        dir = try Harness.scratch()
        pid = try Harness.spawn(
            try Harness.binary("kiosk-emrtd"),
            [
                "--vscard", socket, "--mrz", mrz, "--profile", "nl-passport-2025", "--pki", Bench.pki,
                "--apdu-delay-ms", "\(apduDelay)",
            ], stdout: dir + "/out", stderr: dir + "/err")
        let (pid, dir) = (pid, dir)
        try await Harness.eventually("kiosk-emrtd to put the card in QEMU's reader", seconds: 20) {
            if let status = try Harness.reap(pid) {
                let err = (try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? ""
                throw HarnessError("kiosk-emrtd exited with \(status): \(err)")
            }
            return ((try? String(contentsOfFile: dir + "/out", encoding: .utf8)) ?? "").contains("card inserted")
        }
    }

    /// Waits until the guest's reader has sent the chip its first command: a read has begun.
    func waitForFirstCommand() async throws {
        let dir = dir
        try await Harness.eventually("the reader's first command to the chip", seconds: 60) {
            ((try? String(contentsOfFile: dir + "/out", encoding: .utf8)) ?? "").contains("first command")
        }
    }

    /// Pulls the card: kiosk-emrtd sends CardRemove and ends.
    func remove() async throws {
        kill(pid, SIGTERM)
        let pid = pid
        try await Harness.eventually("kiosk-emrtd to take the card out") { try Harness.reap(pid) != nil }
    }

    /// The card goes silent mid-command, as when its reader loses power: kiosk-emrtd is killed and says nothing more.
    /// (QEMU 7.2 crashes on a VSCard answer for a reader already removed, so the card stops before the reader goes.)
    func silence() async throws {
        kill(pid, SIGKILL)
        let pid = pid
        try await Harness.eventually("kiosk-emrtd to end") { try Harness.reap(pid) != nil }
    }

    /// A check that failed with the card still in: it is taken out properly (CardRemove), or QEMU would keep a card
    /// nobody answers for, and the next check's card would never be seen going in.
    deinit {
        // kiosk-emrtd answers SIGTERM with CardRemove and exits (or, still connecting, gives up within its --wait).
        kill(pid, SIGTERM)
        Harness.waitForExit(pid)
        try? FileManager.default.removeItem(atPath: dir)
    }
}
