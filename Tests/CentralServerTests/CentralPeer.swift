import AsyncHTTPClient
import CentralAPI
import Foundation
import HTTPTypes
import NIOCore
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Every suite that talks to the shared kiosk-central, one test at a time: some tests change how the server answers.
@Suite(.serialized) enum AgainstKioskCentral {}

/// One real kiosk-central for the whole test run, on 127.0.0.1 with a free port, its database in a fresh folder.
///
/// Started on first use and killed when the test process exits. Tests reach it through the generated client, as a kiosk does.
enum CentralPeer {
    static let kioskToken = "kiosk-token-for-tests-0001"
    static let adminToken = "admin-token-for-tests-0001"

    struct Running: Sendable {
        let url: URL
        let dir: String
        let pid: pid_t
    }

    static let shared = Task { try await start() }

    nonisolated(unsafe) static var pidToKill: pid_t = 0

    static func start() async throws -> Running {
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
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, dir + "/out", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, dir + "/err", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let args = [
            binary, "--port", "0", "--database", dir + "/central.db", "--token-file", dir + "/kiosk.token", "--admin-token-file",
            dir + "/admin.token",
        ]
        let argv = args.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, binary, &actions, nil, argv, environ) == 0 else { throw PeerError("cannot start kiosk-central") }
        pidToKill = pid
        atexit { if CentralPeer.pidToKill > 0 { kill(CentralPeer.pidToKill, SIGKILL) } }
        for _ in 0..<300 {
            let out = (try? String(contentsOfFile: dir + "/out", encoding: .utf8)) ?? ""
            if let line = out.split(separator: "\n").first(where: { $0.hasPrefix("kiosk-central listening on ") }),
                let url = URL(string: String(line.dropFirst("kiosk-central listening on ".count)))
            {
                return Running(url: url, dir: dir, pid: pid)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw PeerError("kiosk-central did not start: \((try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? "")")
    }

    /// The generated client, with a bearer token and a short timeout.
    static func client(token: String = kioskToken, timeout: Int64 = 3) async throws -> Client {
        let running = try await shared.value
        return Client(
            serverURL: running.url,
            transport: AsyncHTTPClientTransport(configuration: .init(client: .shared, timeout: .seconds(timeout))),
            middlewares: [Bearer(token: token)])
    }

    static func admin() async throws -> Client { try await client(token: adminToken) }
}

struct Bearer: ClientMiddleware {
    let token: String

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Bearer \(token)"
        return try await next(request, body, baseURL)
    }
}

struct PeerError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
