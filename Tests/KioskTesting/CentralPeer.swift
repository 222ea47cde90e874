import AsyncHTTPClient
import Central
package import CentralAPI
import Foundation
import HTTPTypes
import NIOCore
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// One real kiosk-central for the whole test run, on 127.0.0.1 with a free port, its database in a fresh folder.
///
/// Started on first use and killed when the test process exits. Tests reach it through the generated client, as a kiosk does.
public enum CentralPeer {
    public static let kioskToken = "kiosk-token-for-tests-0001"
    public static let adminToken = "admin-token-for-tests-0001"

    public static let shared = Task { try await start() }

    nonisolated(unsafe) static var pidsToKill: [pid_t] = []

    /// Starts another kiosk-central of the test's own (one it may stop and start); killed at exit like the shared one.
    /// - parameters:
    ///   - extra: more arguments, such as `--tls-cert` and `--tls-key`.
    public static func start(database: String? = nil, port: Int = 0, extra: [String] = []) async throws -> RunningCentral {
        let root = #filePath.components(separatedBy: "/Tests/")[0]
        let binary = (ProcessInfo.processInfo.environment["KIOSK_BIN"] ?? root + "/.build/debug") + "/kiosk-central"
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw PeerError("\(binary) is missing: run make test") }
        var template = Array("/tmp/kc-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw PeerError("mkdtemp failed") }
        let dir = String(cString: made)
        for (name, token) in [("kiosk.token", kioskToken), ("admin.token", adminToken)] {
            FileManager.default.createFile(
                atPath: "\(dir)/\(name)", contents: Data(token.utf8), attributes: [.posixPermissions: 0o600])
        }
        let args =
            [
                "--port", "\(port)", "--database", database ?? dir + "/central.db", "--token-file", dir + "/kiosk.token",
                "--admin-token-file", dir + "/admin.token", "--products", ShippedFlows.extractFlow, "--exit-with-parent",
            ] + extra
        let pid = try Harness.spawn(binary, args, stdout: dir + "/out", stderr: dir + "/err")
        if pidsToKill.isEmpty { atexit { CentralPeer.pidsToKill.forEach { kill($0, SIGKILL) } } }
        pidsToKill.append(pid)
        for _ in 0..<300 {
            let out = (try? String(contentsOfFile: dir + "/out", encoding: .utf8)) ?? ""
            if let line = out.split(separator: "\n").first(where: { $0.hasPrefix("kiosk-central listening on ") }),
                let url = URL(string: String(line.dropFirst("kiosk-central listening on ".count)))
            {
                return RunningCentral(url: url, dir: dir, pid: pid)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw PeerError("kiosk-central did not start: \((try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? "")")
    }

    /// Stops a kiosk-central this test started (SIGTERM, then waits for it), as an operator or a crash would.
    /// A stop is clean only when it exits with status 0: a crash on the way out (a trap, a failed precondition) fails it.
    public static func stop(_ running: RunningCentral) async throws {
        kill(running.pid, SIGTERM)
        var status: Int32 = 0
        // Its grace period is 5 s for what is under way (a back-office run), then 3 s of cancellation.
        for _ in 0..<1200 {
            if waitpid(running.pid, &status, WNOHANG) == running.pid {
                // WIFEXITED and WEXITSTATUS, which Swift does not import.
                guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
                    let tail = ((try? String(contentsOfFile: running.dir + "/err", encoding: .utf8)) ?? "").suffix(400)
                    throw PeerError("kiosk-central \(running.pid) did not exit cleanly (wait status \(status)): \(tail)")
                }
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw PeerError("kiosk-central \(running.pid) did not stop")
    }

    /// The generated client, with a bearer token and a short timeout, for the shared server or a given one.
    package static func client(token: String = kioskToken, timeout: Int64 = 3, of given: RunningCentral? = nil) async throws
        -> Client
    {
        let running: RunningCentral
        if let given { running = given } else { running = try await shared.value }
        return Client(
            serverURL: running.url,
            transport: AsyncHTTPClientTransport(configuration: .init(client: .shared, timeout: .seconds(timeout))),
            middlewares: [BearerToken(token: token)])
    }

    package static func admin(of given: RunningCentral? = nil) async throws -> Client {
        try await client(token: adminToken, of: given)
    }

    /// Runs `body` against the shared central and puts it back to normal service afterwards, failed or not, before the
    /// next test can start: the behaviour is global to the server.
    package static func misbehaving(_ body: (Client) async throws -> Void) async throws {
        let admin = try await admin()
        do {
            try await body(admin)
        } catch {
            _ = try? await admin.setBehaviour(body: .json(.init()))
            throw error
        }
        _ = try await admin.setBehaviour(body: .json(.init())).noContent
    }
}
