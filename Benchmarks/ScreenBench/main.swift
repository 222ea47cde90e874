// kiosk-bench-screen: how fast the resident's screen answers.
//
//   1. A full frame at 1080×1920 (the start screen, and a step with the on-screen keyboard), median and p99, against a
//      memcpy of the same frame in the same run.
//   2. From a touch to the pressed-button frame on the framebuffer: the renderer's pressed redraw plus the copy into a
//      file-backed framebuffer.
//   3. kioskd cold start to its first frame, and its resident set size once serving.
//
// Run with `make bench`; record the figures in Benchmarks/README.md.
import BenchSupport
import Foundation
import Framebuffer
import KioskCore
import KioskDrawing
import KioskTesting

let rounds = Int(ProcessInfo.processInfo.environment["BENCH_FRAMES"] ?? "") ?? 100
// The shipped screens, as the runner makes them: the start screen, the BSN step with its numeric pad (five digits typed),
// and a done screen with its numbers boxed.
let shipped = Dictionary(uniqueKeysWithValues: try ShippedScreens.all(.nl).map { ($0.0, $0.1) })
let start = shipped["home"]!
var keyboard = shipped["extract-request/bsn"]!
keyboard.input?.value = "12345"
let done = shipped["extract-request/done-answered"]!
let renderer = ScreenRenderer()
// Warm the font caches first: pango's first layouts load and shape the fonts.
for screen in [start, keyboard, done] {
    for _ in 0..<5 { _ = try Raster.render(width: 1080, height: 1920) { renderer.draw(screen, on: $0) } }
}
func frames(_ screen: Screen, pressed: ScreenRenderer.Target? = nil) throws -> [Double] {
    try (0..<rounds).map { _ in
        let begin = ContinuousClock.now
        _ = try Raster.render(width: 1080, height: 1920) { renderer.draw(screen, on: $0, pressed: pressed) }
        return milliseconds(ContinuousClock.now - begin)
    }
}
let frame = try Raster.render(width: 1080, height: 1920) { renderer.draw(start, on: $0) }
var copy = [UInt8](repeating: 0, count: frame.pixels.count)
var copies: [Double] = []
for _ in 0..<rounds {
    let begin = ContinuousClock.now
    copy.withUnsafeMutableBytes { target in frame.pixels.withUnsafeBytes { target.copyMemory(from: $0) } }
    copies.append(milliseconds(ContinuousClock.now - begin))
}
let memcpy = percentile(copies, 0.5)
print("full frame 1080×1920, \(rounds) frames; memcpy of the frame p50 \(String(format: "%.3f", memcpy)) ms")
for (name, screen) in [("start screen", start), ("BSN step, numeric pad", keyboard), ("done, numbers boxed", done)] {
    let times = try frames(screen)
    print(
        String(
            format: "  %@: p50 %6.2f ms  p99 %6.2f ms  -> %.0fx the memcpy", name, percentile(times, 0.5),
            percentile(times, 0.99), percentile(times, 0.5) / memcpy))
}

// Touch to pressed frame: what the front does on a finger down, into a file-backed framebuffer.
let dir = try Harness.scratch()
let framebuffer = try Framebuffer(path: dir + "/fb", fileGeometry: .init(width: 1080, height: 1920, bitsPerPixel: 32))
let pressed: [Double] = try (0..<rounds).map { _ in
    let begin = ContinuousClock.now
    let raster = try Raster.render(width: 1080, height: 1920) {
        renderer.draw(start, on: $0, pressed: .action(.startFlow("extract-request")))
    }
    framebuffer.show(raster)
    return milliseconds(ContinuousClock.now - begin)
}
print(
    String(
        format: "touch to pressed frame on the framebuffer: p50 %.2f ms  p99 %.2f ms", percentile(pressed, 0.5),
        percentile(pressed, 0.99)))

// Cold start to the first frame, and the resident set size once serving.
var starts: [Double] = []
var rss = 0
for round in 0..<5 {
    let kioskDir = try Harness.scratch()
    let config = try Harness.config(
        in: kioskDir, front: "framebuffer",
        extraConfig: "framebuffer:\n  path: \(kioskDir)/fb\n  width: 1080\n  height: 1920\n  bitsPerPixel: 32\n")
    let begin = ContinuousClock.now
    let pid = try Harness.spawn(
        try Harness.binary("kioskd"), ["--config", config], stdout: "/dev/null", stderr: kioskDir + "/err")
    while true {
        if let data = FileManager.default.contents(atPath: kioskDir + "/fb"), data.count >= 4, data[0] != 0 || data[2] != 0 {
            break
        }
        try await Task.sleep(for: .milliseconds(2))
    }
    starts.append(milliseconds(ContinuousClock.now - begin))
    if round == 4 {
        try await Task.sleep(for: .seconds(2))
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        rss = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }.map { Int($0.filter(\.isNumber)) ?? 0 } ?? 0
    }
    kill(pid, SIGTERM)
    while try Harness.reap(pid) == nil { try await Task.sleep(for: .milliseconds(10)) }
}
print(
    String(
        format: "kioskd cold start to first frame: p50 %.0f ms, max %.0f ms (5 starts)", percentile(starts, 0.5),
        starts.max() ?? 0))
print("kioskd resident set size, serving the start screen: \(rss / 1024) MiB")
