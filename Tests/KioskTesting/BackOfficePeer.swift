import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
    import Glibc
#endif

/// Starts the stand-in once per test process, from the virtual environment `make test` installs (.build/venv).
public enum BackOfficePeer {
    public static let zgwClient = "kiosk-gateway"
    public static let zgwSecret = "zgw-secret-for-tests-0123456789abcdef"
    public static let klantToken = "openklant-token-for-tests-0001"
    public static let brpKey = "brp-api-key-for-tests-0001"

    public static let shared = Task { try await start() }

    /// Starts a stand-in of the caller's own.
    /// - parameters:
    ///   - extra: more arguments, such as `--tls-cert`, `--tls-key` and `--client-ca` (then the BRP takes mutual TLS
    ///     instead of its API key).
    public static func start(extra: [String] = []) async throws -> RunningBackOffice {
        let root = Harness.root
        let python =
            ProcessInfo.processInfo.environment["KIOSK_VENV"].map { $0 + "/bin/python" }
            ?? root + "/.build/venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw PeerError("\(python) is missing: run make venv (make test does)")
        }
        var template = Array("/tmp/standin-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw PeerError("mkdtemp failed") }
        let dir = String(cString: made)
        for (name, secret) in [
            ("zgw.clients", "\(zgwClient):\(zgwSecret)"), ("klant.token", klantToken), ("brp.key", brpKey),
        ] {
            FileManager.default.createFile(
                atPath: "\(dir)/\(name)", contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600])
        }
        let pid = try Harness.spawn(
            python,
            [
                root + "/StandIns/commonground/standin.py", "--seed", root + "/StandIns/commonground/seed.json",
                "--zgw-client-file", dir + "/zgw.clients", "--klant-token-file", dir + "/klant.token",
            ] + (extra.contains("--client-ca") ? [] : ["--brp-key-file", dir + "/brp.key"]) + extra,
            stdout: dir + "/out", stderr: dir + "/err")
        if pids.isEmpty { atexit { BackOfficePeer.pids.forEach { kill($0, SIGKILL) } } }
        pids.append(pid)
        // Loading five OpenAPI documents takes a few seconds; the line comes once it accepts connections.
        for _ in 0..<600 {
            let out = (try? String(contentsOfFile: dir + "/out", encoding: .utf8)) ?? ""
            if let line = out.split(separator: "\n").first(where: { $0.hasPrefix("commonground-standin listening on ") }) {
                return RunningBackOffice(
                    url: String(line.dropFirst("commonground-standin listening on ".count)), dir: dir, pid: pid)
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw PeerError("the stand-in did not start: \((try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? "")")
    }

    nonisolated(unsafe) static var pids: [pid_t] = []
}
