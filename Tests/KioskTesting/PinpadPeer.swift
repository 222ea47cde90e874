import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1
package import Pinpad

#if canImport(Glibc)
    import Glibc
#endif

/// A kiosk-pinpad a test started: channel 0's port, the admin URL, and its folder (stdout and stderr).
public struct RunningPinpad: Sendable {
    public let port: Int
    public let admin: URL
    public let dir: String
    public let pid: pid_t

    /// Sets what the next payments do (see kiosk-pinpad --help).
    package func set(_ settings: PinpadSettings) async throws {
        var request = HTTPClientRequest(url: admin.appendingPathComponent("behaviour").absoluteString)
        request.method = .PUT
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(settings)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        guard response.status == .noContent else { throw PeerError("kiosk-pinpad: PUT /behaviour → \(response.status)") }
    }

    /// Its books and the messages it refused.
    package func state() async throws -> PinpadState {
        let request = HTTPClientRequest(url: admin.appendingPathComponent("state").absoluteString)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        return try JSONDecoder().decode(PinpadState.self, from: Data(body.readableBytesView))
    }

    /// What it logged.
    public func log() -> String { (try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? "" }
}

/// Starts kiosk-pinpad, the OPI terminal simulator, as a real process: channel 0 on a free port, connecting back to the
/// kiosk's channel 1 on `devicePort`. Killed when the test process exits.
public enum PinpadPeer {
    nonisolated(unsafe) static var pidsToKill: [pid_t] = []

    public static func start(devicePort: Int, extra: [String] = []) async throws -> RunningPinpad {
        let binary = try Harness.binary("kiosk-pinpad")
        let dir = try Harness.scratch()
        let args =
            ["--port", "0", "--admin-port", "0", "--device-port", "\(devicePort)", "--exit-with-parent"] + extra
        let pid = try Harness.spawn(binary, args, stdout: dir + "/out", stderr: dir + "/err")
        if pidsToKill.isEmpty { atexit { PinpadPeer.pidsToKill.forEach { kill($0, SIGKILL) } } }
        pidsToKill.append(pid)
        let prefix = "kiosk-pinpad listening on "
        for _ in 0..<400 {
            let out = (try? String(contentsOfFile: dir + "/out", encoding: .utf8)) ?? ""
            if let line = out.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) {
                let parts = line.dropFirst(prefix.count).components(separatedBy: ", admin ")
                if parts.count == 2, let port = parts[0].split(separator: ":").last.flatMap({ Int($0) }),
                    let admin = URL(string: parts[1])
                {
                    return RunningPinpad(port: port, admin: admin, dir: dir, pid: pid)
                }
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw PeerError("kiosk-pinpad did not start: \((try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? "")")
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
