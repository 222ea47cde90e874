import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Pinpad

#if canImport(Glibc)
    import Glibc
#endif

/// Starts kiosk-pinpad, the OPI terminal simulator, as a real process: channel 0 on a free port, connecting back to the
/// kiosk's channel 1 on `devicePort`. Killed when the test process exits.
public enum PinpadPeer {
    nonisolated(unsafe) static var pidsToKill: [pid_t] = []

    public static func start(devicePort: Int, extra: [String] = []) async throws -> RunningPinpad {
        let binary = try Harness.binary("kiosk-pinpad")
        let dir = try Harness.scratch()
        let args =
            ["--port", "0", "--admin-port", "0", "--device-port", "\(devicePort)", "--exit-with-parent"] + extra
        // Its stdout is a FIFO the harness reads: the listening line is the event, no polling. The read end stays open for
        // the simulator's life, so that it never writes into a closed pipe.
        guard mkfifo(dir + "/out", 0o600) == 0 else { throw PeerError("mkfifo failed") }
        let reader = open(dir + "/out", O_RDONLY | O_NONBLOCK)
        guard reader >= 0 else { throw PeerError("cannot open the FIFO") }
        let pid = try Harness.spawn(binary, args, stdout: dir + "/out", stderr: dir + "/err")
        if pidsToKill.isEmpty { atexit { PinpadPeer.pidsToKill.forEach { kill($0, SIGKILL) } } }
        pidsToKill.append(pid)
        let line = try await FrameSocket.blocking { Self.firstLine(reader, seconds: 10) }
        let prefix = "kiosk-pinpad listening on "
        if let line, line.hasPrefix(prefix) {
            let parts = line.dropFirst(prefix.count).components(separatedBy: ", admin ")
            if parts.count == 2, let port = parts[0].split(separator: ":").last.flatMap({ Int($0) }),
                let admin = URL(string: parts[1])
            {
                return RunningPinpad(port: port, admin: admin, dir: dir, pid: pid)
            }
        }
        throw PeerError("kiosk-pinpad did not start: \((try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? "")")
    }

    /// The first line written to `fd`, waiting for it with poll(2) at most `seconds`; nil when none came (it died first).
    static func firstLine(_ fd: Int32, seconds: Int) -> String? {
        var bytes: [UInt8] = []
        let deadline = Date().addingTimeInterval(Double(seconds))
        while Date() < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000))) > 0 else { return nil }
            var chunk = [UInt8](repeating: 0, count: 256)
            let n = read(fd, &chunk, chunk.count)
            if n > 0 {
                bytes += chunk[0..<n]
                if let end = bytes.firstIndex(of: 10) { return String(decoding: bytes[..<end], as: UTF8.self) }
            } else if n == 0 {
                // End of file: its writer (the simulator) has gone without a line. (Linux reports no hang-up on a FIFO
                // that never had a writer, so poll waits for the child to open it.)
                return nil
            }
        }
        return nil
    }

    /// A device profile for kioskd's opi driver to this kiosk-pinpad, with kioskd's channel 1 on `devicePort`.
    public static func profile(id: String, _ pinpad: RunningPinpad, devicePort: Int, probeSeconds: Int = 1) -> (
        name: String, text: String
    ) {
        (
            "\(id).yaml",
            """
            id: \(id)
            class: paymentTerminal
            driver: opi
            options:
              port: "\(pinpad.port)"
              devicePort: "\(devicePort)"
              paymentSeconds: "5"
              abortSeconds: "2"
              answerSeconds: "3"
              probeSeconds: "\(probeSeconds)"
            """
        )
    }

    /// Kills it outright (a terminal that loses power), and reaps it.
    public static func kill9(_ running: RunningPinpad) {
        kill(running.pid, SIGKILL)
        var status: Int32 = 0
        waitpid(running.pid, &status, 0)
    }
}
