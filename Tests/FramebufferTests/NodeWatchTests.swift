import Foundation
import KioskTesting
import Testing
import Touch

@testable import Framebuffer

/// A node plugged in is seen when it appears, not at the next poll: the watch wakes on a node made in the directory and
/// on its mode set (as udev does), and a change made before the wait is not missed.
@Suite struct NodeWatchTests {
    @Test func aNodeMadeOrItsModeSetWakesTheWatch() throws {
        let dir = try Harness.scratch()
        let watch = NodeWatch(directory: dir)
        #expect(watch.watching)
        // Made before the wait: still seen (true is a change; false would be the 10 s rescan).
        try #require(mkfifo(dir + "/event7", 0o600) == 0)
        #expect(watch.wait(), "a new node")
        try #require(chmod(dir + "/event7", 0o660) == 0)
        #expect(watch.wait(), "its mode set")
    }

    @Test func aDirectoryThatCannotBeWatchedIsPolled() throws {
        let watch = NodeWatch(directory: try Harness.scratch() + "/not-there")
        #expect(!watch.watching)
    }

    /// An evdev node that is not there yet is opened when it appears.
    @Test func aDeviceIsOpenedWhenItsNodeAppears() async throws {
        let dir = try Harness.scratch()
        let node = dir + "/event3"
        let lines = RecordingLogHandler.Lines()
        let device = EventDevice(path: node, kind: "headset", logger: RecordingLogHandler.logger(lines))
        let (events, seen) = AsyncStream.makeStream(of: InputEvent.self)
        device.startRaw { seen.yield($0) }
        defer { device.stop() }
        try await Harness.eventually("the missing node said") { lines.all.contains { $0.contains("No such file") } }
        try #require(mkfifo(node, 0o600) == 0)
        // Within 8 s, under the watch's 10 s rescan: it is the node appearing that wakes the device.
        var writer: Int32 = -1
        try await Harness.eventually("the device to open the new node", seconds: 8) {
            writer = open(node, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
            return writer >= 0
        }
        defer { close(writer) }
        let event = InputEvent(seconds: 1, type: InputEvent.switchEvent, code: InputEvent.headphoneInsert, value: 1)
        _ = event.bytes.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
        var received = events.makeAsyncIterator()
        #expect(await received.next() == event)
    }
}
