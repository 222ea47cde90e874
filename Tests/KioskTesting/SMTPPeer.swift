import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real SMTP server on loopback for Alertmanager's e-mail: Python's `smtpd` DebuggingServer (Python 3.11, Debian 12),
/// which accepts every message and prints it. Only used by the test that runs the example Alertmanager configuration.
public final class SMTPPeer: Sendable {
    public let port: Int
    let dir: String
    let pid: pid_t

    public static func start() async throws -> SMTPPeer {
        let python = try Harness.tool("python3", package: "python3")
        let dir = try Harness.scratch()
        let port = try Harness.freePort()
        let pid = try Harness.spawn(
            python, ["-u", "-W", "ignore", "-m", "smtpd", "-n", "-c", "DebuggingServer", "127.0.0.1:\(port)"],
            stdout: dir + "/mail.log", stderr: dir + "/err.log")
        let peer = SMTPPeer(port: port, dir: dir, pid: pid)
        try await Harness.eventually("the SMTP server on \(port)", seconds: 10) {
            guard (try? Harness.reap(pid)) ?? nil == nil else {
                let log = (try? String(contentsOfFile: dir + "/err.log", encoding: .utf8)) ?? ""
                throw PeerError("smtpd ended at start: \(log.suffix(300))")
            }
            return (try? Harness.tcpHTTP(port: port, "QUIT\r\n"))?.hasPrefix("220 ") ?? false
        }
        return peer
    }

    init(port: Int, dir: String, pid: pid_t) {
        self.port = port
        self.dir = dir
        self.pid = pid
    }

    /// Every message received so far, headers and body, a line each. The server prints each line of a message it took as
    /// bytes as Python's repr (`b'To: …'`); that wrapping is taken off.
    public var messages: [String] {
        let log = (try? String(contentsOfFile: dir + "/mail.log", encoding: .utf8)) ?? ""
        return log.components(separatedBy: "---------- MESSAGE FOLLOWS ----------").dropFirst().map { printed in
            let message = printed.components(separatedBy: "------------ END MESSAGE ------------").first ?? printed
            return message.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                guard line.count >= 3, line.hasPrefix("b'") || line.hasPrefix("b\""), line.last == line.dropFirst().first
                else { return String(line) }
                return String(line.dropFirst(2).dropLast())
            }.joined(separator: "\n")
        }
    }

    /// A header of a message (`To`, `Subject`), unfolded.
    public static func header(_ name: String, in message: String) -> String? {
        let unfolded = message.replacingOccurrences(of: "\n ", with: " ").replacingOccurrences(of: "\n\t", with: " ")
        return unfolded.split(separator: "\n").first { $0.hasPrefix("\(name): ") }.map { String($0.dropFirst(name.count + 2)) }
    }

    deinit {
        kill(pid, SIGTERM)
        _ = try? Harness.reap(pid)
        try? FileManager.default.removeItem(atPath: dir)
    }
}
