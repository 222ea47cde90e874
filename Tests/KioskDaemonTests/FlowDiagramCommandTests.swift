import Foundation
import KioskCore
import KioskTesting
import Testing

/// `kioskctl flows diagram`: the shipped flows laid out by the real Graphviz, with kioskd stopped.
@Suite struct FlowDiagramCommandTests {
    /// Graphviz's dot must be there in CI (make test installs the graphviz package); elsewhere its absence skips.
    static var dotAvailable: Bool {
        let found = FileManager.default.isExecutableFile(atPath: "/usr/bin/dot")
        if !found && ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("dot is missing in CI") }
        return found
    }

    /// A text element as Graphviz writes it (it escapes the dash).
    static func text(_ id: String) -> String {
        ">" + id.replacingOccurrences(of: "-", with: "&#45;") + "</text>"
    }

    @Test func eachShippedFlowIsDrawnAsSVGNamingEveryStep() async throws {
        guard Self.dotAvailable else { return }
        for flow in try ShippedFlows.flows() {
            let out = try await Harness.run(
                try Harness.binary("kioskctl"),
                ["flows", "diagram", flow.id, "--format", "svg", "--directory", ShippedFlows.folder])
            #expect(out.status == 0, "\(flow.id): \(out.stderr)")
            #expect(out.stdout.hasPrefix("<?xml"), "\(flow.id)")
            #expect(out.stdout.contains("</svg>"), "\(flow.id)")
            for step in flow.steps { #expect(out.stdout.contains(Self.text(step.id)), "\(flow.id): \(step.id)") }
        }
    }

    @Test func anUnknownFlowIsOneLine() async throws {
        let out = try await Harness.run(
            try Harness.binary("kioskctl"), ["flows", "diagram", "nope", "--format", "dot", "--directory", ShippedFlows.folder])
        #expect(out.status == 1)
        #expect(
            out.stderr == "kioskctl: no flow 'nope' in \(ShippedFlows.folder) (there are: extract-request, pickup, call-staff)\n")
    }

    /// The README shows Docs/extract-request.svg: it must still draw every step of the flow.
    @Test func theREADMEsDiagramIsCurrent() throws {
        let svg = try String(contentsOfFile: Harness.root + "/Docs/extract-request.svg", encoding: .utf8)
        let flow = try #require(try ShippedFlows.flows().first { $0.id == "extract-request" })
        for step in flow.steps {
            #expect(
                svg.contains(Self.text(step.id)),
                "\(step.id): run kioskctl flows diagram extract-request -o Docs/extract-request.svg")
        }
    }
}
