import Foundation
import KioskTesting
import Testing

/// The files operations install next to the binaries are checked by the tools that will read them.
@Suite struct OperationsFilesTests {
    @Test func theAlertmanagerExamplePassesAmtool() async throws {
        let amtool = try Harness.tool("amtool", package: "prometheus-alertmanager")
        let check = try await Harness.run(amtool, ["check-config", Harness.root + "/Kiosk/alertmanager.yml"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("3 receivers"))
    }

    @Test func theUnitPassesSystemdAnalyze() async throws {
        let analyze = try Harness.tool("systemd-analyze", package: "systemd")
        let unit = try String(contentsOfFile: Harness.root + "/Kiosk/kioskd.service", encoding: .utf8)
        #expect(unit.contains("Type=notify") && unit.contains("WatchdogSec=") && unit.contains("Restart=always"))
        let dir = try Harness.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // verify insists that ExecStart exists: point it at the binary just built.
        let local = unit.replacingOccurrences(of: "/usr/local/bin/kioskd", with: try Harness.binary("kioskd"))
        try local.write(toFile: dir + "/kioskd.service", atomically: true, encoding: .utf8)
        let verify = try await Harness.run(analyze, ["verify", dir + "/kioskd.service"])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(!verify.stderr.contains("Unknown"), "\(verify.stderr)")
    }
}
