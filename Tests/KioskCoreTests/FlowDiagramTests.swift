import KioskTesting
import Testing

@testable import KioskCore

/// The DOT a flow becomes: every step in its lane, every outcome's path labelled, every text quoted.
@Suite struct FlowDiagramTests {
    @Test func everyStepAndEveryOutcomeIsDrawn() throws {
        for flow in try ShippedFlows.flows() {
            let dot = FlowDiagram.dot(flow)
            for step in flow.steps {
                #expect(dot.contains("\"\(step.id)\" [label=\"\(step.id)\\n"), "\(flow.id): \(step.id)")
                for (target, _) in step.transitions {
                    #expect(dot.contains("\"\(step.id)\" -> \"\(target)\""), "\(flow.id): \(step.id) → \(target)")
                }
            }
        }
        let extract = try #require(try ShippedFlows.flows().first { $0.id == "extract-request" })
        let dot = FlowDiagram.dot(extract, language: .en)
        #expect(dot.contains("\"submit\" -> \"receipt\" [label=\"offline\"];"))
        #expect(dot.contains("\"pay\" -> \"pay\" [label=\"declined\"];"))
        #expect(dot.contains("\"product\" -> \"identify\" [label=\"international\"];"))
        #expect(dot.contains("\"submit\" -> \"service_extractRequest\""), "the back office's work")
        #expect(dot.contains("label=\"Municipality\""))
        #expect(dot.contains("\"identify\" -> \"counter\""), "a refused document goes to the counter")
    }

    @Test func textIsQuotedSoNoFlowCanBreakTheGraph() {
        #expect(FlowDiagram.quoted("a \"b\" \\ c\nd") == "\"a \\\"b\\\" \\\\ c\\nd\"")
    }
}
