import Foundation
import KioskTesting
import Testing

/// kioskd on a real kernel: QEMU boots the Debian kernel with systemd and udev, kioskd installed as a site installs it,
/// a real /dev/fb0 (bochs-drm), a USB tablet as the panel, a USB CCID reader whose card is kiosk-emrtd on the host, and an
/// Intel HDA sound card whose output QEMU writes into a WAV file.
/// `make test` runs the short scenario; `make hil` (KIOSK_HIL_FULL=1) runs every check.
@Suite(.serialized) struct BenchTests {
    static var full: Bool { ProcessInfo.processInfo.environment["KIOSK_HIL_FULL"] == "1" }

    @Test(.timeLimit(.minutes(20))) func theKioskOnARealKernel() async throws {
        let hostStart = try await BenchChecks.hostStart()
        let bench = try Bench()
        defer { bench.stop() }
        let log = CheckLog()
        log.record("baseline: the same kioskd started on the host, to READY", seconds: hostStart, passed: true)
        let checks = BenchChecks(bench: bench, log: log)
        try await checks.boot(hostStart: hostStart)
        await checks.tap()
        await checks.chipRead()
        await checks.hotPlug()
        await checks.speech()
        await checks.headset()
        if Self.full {
            await checks.lockdown()
            await checks.readerPulledMidRead()
            await checks.udevRules()
            await checks.dataAtRest()
            await checks.pcscdForTheKioskOnly()
            await checks.deviceAllow()
            await checks.exposure()
            await checks.killed()
            await checks.watchdog()
        }
        let failed = log.failures.map { "\($0.name): \($0.detail)" }
        #expect(failed.isEmpty, "\(failed.joined(separator: "\n"))\n\(bench.console.suffix(3000))")
    }
}
