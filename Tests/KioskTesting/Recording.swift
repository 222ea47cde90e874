import Foundation
public import Touch

/// The touchscreen recordings in Tests/Fixtures/evemu (real panels, from whot/evemu-devices), as the raw 24-byte records a
/// kernel delivers, with each panel's axes from its `.desc`.
public enum Recording {
    public static let folder = Harness.root + "/Tests/Fixtures/evemu"

    /// Every recording, by file name.
    public static var all: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".events") }.sorted()
    }

    /// `E: <sec.usec> <type hex> <code hex> <value decimal>` lines.
    public static func events(_ name: String) throws -> [InputEvent] {
        let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line -> InputEvent? in
            guard line.hasPrefix("E: ") else { return nil }
            let fields = line.dropFirst(3).split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 4, let type = UInt16(fields[1], radix: 16), let code = UInt16(fields[2], radix: 16),
                let value = Int32(fields[3])
            else { return nil }
            let time = fields[0].split(separator: ".")
            return InputEvent(
                seconds: Int64(time.first ?? "0") ?? 0, microseconds: Int64(time.last ?? "0") ?? 0, type: type, code: code,
                value: value)
        }
    }

    /// A panel's axes from its `.desc` (`A: code min max fuzz flat [resolution]`): the multitouch position axes, else
    /// ABS_X/Y. The description is the recording's name up to its first dot.
    public static func axes(_ name: String) throws -> (
        x: (min: Int32, max: Int32), y: (min: Int32, max: Int32), resolution: Int32
    ) {
        let device = String(name.prefix { $0 != "." })
        let text = try String(contentsOfFile: folder + "/" + device + ".desc", encoding: .utf8)
        var axes: [UInt16: (Int32, Int32, Int32)] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("A: ") {
            let f = line.dropFirst(3).split(separator: " ")
            guard f.count >= 3, let code = UInt16(f[0], radix: 16), let min = Int32(f[1]), let max = Int32(f[2]) else { continue }
            axes[code] = (min, max, f.count >= 6 ? Int32(f[5]) ?? 0 : 0)
        }
        let x = axes[InputEvent.absMTPositionX] ?? axes[InputEvent.absX] ?? (0, 4095, 0)
        let y = axes[InputEvent.absMTPositionY] ?? axes[InputEvent.absY] ?? (0, 4095, 0)
        return ((x.0, x.1), (y.0, y.1), x.2)
    }

    /// The bytes a kernel would deliver, read back in chunks of 7 bytes (reads end mid-record), decoded with the panel's
    /// axes; each touch with its event's time.
    public static func touches(_ name: String) throws -> [(TouchEvent, Double)] {
        let raw = try events(name).flatMap(\.bytes)
        let panel = try? axes(name)
        var reader = InputEventReader()
        var decoder = panel.map { TouchDecoder(axes: ($0.x, $0.y)) } ?? TouchDecoder()
        var out: [(TouchEvent, Double)] = []
        for start in stride(from: 0, to: raw.count, by: 7) {
            for event in reader.feed(raw[start..<min(start + 7, raw.count)]) {
                let time = Double(event.seconds) + Double(event.microseconds) / 1e6
                out += decoder.feed(event).map { ($0, time) }
            }
        }
        return out
    }
}
