import Foundation
import KioskTesting

/// QEMU's machine protocol: JSON lines on a Unix socket. Each command's answer is the next `return` or `error` line; the
/// events in between are kept for whoever asks.
final class QMP: @unchecked Sendable {
    private let socket: LineSocket
    private(set) var events: [[String: Any]] = []

    init(path: String) throws {
        socket = try LineSocket(path: path, seconds: 20)
        _ = try socket.line(seconds: 20)  // the greeting
        _ = try execute("qmp_capabilities")
    }

    /// Runs one command and returns its `return` value; an `error` answer is thrown with QEMU's words.
    @discardableResult
    func execute(_ command: String, _ arguments: [String: Any] = [:], seconds: Double = 30) throws -> Any {
        var message: [String: Any] = ["execute": command]
        if !arguments.isEmpty { message["arguments"] = arguments }
        let data = try JSONSerialization.data(withJSONObject: message)
        try socket.send(String(decoding: data, as: UTF8.self))
        while true {
            let line = try socket.line(seconds: seconds)
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
            if let value = object["return"] { return value }
            if let error = object["error"] as? [String: Any] {
                throw HarnessError("QMP \(command): \(error["desc"] ?? error)")
            }
            events.append(object)
        }
    }

    /// Moves the usb-tablet's pointer to a screen pixel and presses and lifts it: a finger's tap on the panel. QEMU's
    /// absolute axes run 0...32767 over the whole screen.
    func tap(x: Int, y: Int, width: Int, height: Int) throws {
        let position: [[String: Any]] = [
            ["type": "abs", "data": ["axis": "x", "value": x * 32767 / (width - 1)]],
            ["type": "abs", "data": ["axis": "y", "value": y * 32767 / (height - 1)]],
        ]
        try execute("input-send-event", ["events": position])
        try execute("input-send-event", ["events": [["type": "btn", "data": ["down": true, "button": "left"]]]])
        usleep(80_000)
        try execute("input-send-event", ["events": [["type": "btn", "data": ["down": false, "button": "left"]]]])
    }

    /// Presses keys together and lets them go, as a hand on a keyboard does: `["ctrl", "alt", "f2"]`. QEMU sends them to
    /// its keyboard (the bench has no PS/2 controller: the USB keyboard plugged in).
    func chord(_ keys: [String]) throws {
        let down = keys.map { ["type": "key", "data": ["down": true, "key": ["type": "qcode", "data": $0]]] }
        let up = keys.reversed().map { ["type": "key", "data": ["down": false, "key": ["type": "qcode", "data": $0]]] }
        try execute("input-send-event", ["events": down])
        // The hand holds the keys: a USB keyboard reports its state when the host polls it (every 8 ms here), so a down
        // and an up in one go are never seen. Not a wait for an event; there is none to wait for.
        usleep(50_000)
        try execute("input-send-event", ["events": up])
    }
}
