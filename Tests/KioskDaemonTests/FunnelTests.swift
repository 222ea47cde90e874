import Foundation
import KioskControl
import KioskTesting
import Testing

/// `kioskctl flows funnel`: what kioskd counted of a real walk through the control socket, kept on disk.
@Suite struct FunnelTests {
    static func report(_ kiosk: RunningKiosk, _ arguments: String...) async throws -> FunnelReport {
        let out = try await Harness.run(
            try Harness.binary("kioskctl"), ["flows", "funnel", "--json"] + arguments + ["--socket", kiosk.socket])
        #expect(out.status == 0, "\(out.stderr)")
        return try JSONDecoder().decode(FunnelReport.self, from: Data(out.stdout.utf8))
    }

    static func counts(_ report: FunnelReport, _ flow: String, _ step: String) -> [String: Int] {
        report.steps.first { $0.flow == flow && $0.step == step }?.counts ?? [:]
    }

    @Test func aWalkIsCountedAndKeptAcrossARestart() async throws {
        let kiosk = try await RunningKiosk()
        _ = try await kiosk.ctl("press", "call-staff")
        try await Harness.eventually("help is coming") { try await kiosk.step() == "coming" }
        _ = try await kiosk.ctl("press", "finish")
        try await Harness.eventually("the start screen") { try await kiosk.step() == nil }
        // The counts are written as the events happen; wait for the last one.
        try await Harness.eventually("the finish counted") {
            Self.counts(try await Self.report(kiosk), "call-staff", "coming")["finished"] == 1
        }
        let report = try await Self.report(kiosk)
        #expect(Self.counts(report, "call-staff", "call") == ["reached": 1])
        #expect(Self.counts(report, "call-staff", "coming") == ["reached": 1, "finished": 1])
        #expect(try await kiosk.stop() == 0)

        let again = try await RunningKiosk(reusing: kiosk.dir)
        #expect(Self.counts(try await Self.report(again), "call-staff", "coming")["finished"] == 1, "kept on disk")
        let text = try await again.ctl("flows", "funnel")
        #expect(text.stdout.contains("call-staff\n"))
        #expect(try await Self.report(again, "--since", "2999-01-01").steps.isEmpty)
        let bad = try await again.ctl("flows", "funnel", "--since", "yesterday")
        #expect(bad.status != 0)
        #expect(try await again.stop() == 0)
    }
}
