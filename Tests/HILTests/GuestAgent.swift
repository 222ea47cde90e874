import Foundation
import KioskTesting

/// The bench's agent in the guest (HIL/rootfs/usr/local/bin/kiosk-bench-agent), on a virtio-serial port: a command goes as
/// base64 in a numbered line, and its exit code and output come back the same way.
final class GuestAgent: @unchecked Sendable {
    struct Answer: Sendable {
        var status: Int32
        var output: Data
        var text: String { String(decoding: output, as: UTF8.self) }
    }

    private let socket: LineSocket
    private var next = 1

    /// Connects and asks every 2 s whether the agent is there, until it answers (the guest may still be booting, and
    /// what the host sends before the agent opens its port is lost).
    init(path: String, seconds: Double) throws {
        socket = try LineSocket(path: path, seconds: 20)
        let deadline = Date().addingTimeInterval(seconds)
        let probe = "0 \(Data("true".utf8).base64EncodedString())"
        while true {
            try socket.send(probe)
            if let line = try? socket.line(seconds: 2), line.hasPrefix("0 0") { return }
            guard Date() < deadline else { throw HarnessError("the bench agent did not answer within \(seconds) s") }
        }
    }

    /// Runs `script` with bash as root in the guest.
    func run(_ script: String, seconds: Double = 130) throws -> Answer {
        let id = next
        next += 1
        try socket.send("\(id) \(Data(script.utf8).base64EncodedString())")
        while true {
            let line = try socket.line(seconds: seconds)
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, parts[0] == "\(id)" else { continue }
            let output = parts.count > 2 ? Data(base64Encoded: String(parts[2])) ?? Data() : Data()
            return Answer(status: Int32(parts[1]) ?? -1, output: output)
        }
    }
}
