import Foundation
import KioskTesting
import Testing

@testable import KioskCore

/// One test per kind of problem `kioskctl flows check` reports, each asserting the `file:line:column` it points at.
@Suite struct FlowLoaderTests {
    static let header = """
        id: demo
        title: {nl: Demo, en: Demo}
        requires: [printer]
        steps:

        """

    func issues(_ steps: String, header: String = FlowLoaderTests.header) -> [SourceIssue] {
        FlowLoader.load([(name: "Flows/demo.yaml", text: header + steps)]).issues
    }

    @Test func theShippedFlowsAreValid() throws {
        let result = FlowLoader.load(try ShippedFlows.files())
        #expect(result.issues.map(\.description) == [])
        #expect(result.flows.map(\.id) == ["extract-request", "pickup", "call-staff"])
    }

    @Test func unknownStepKind() {
        let found = issues(
            """
              - id: a
                kind: dance
                text: {nl: a, en: a}
            """)
        #expect(found.map(\.description).first?.hasPrefix("Flows/demo.yaml:6:11: unknown step kind 'dance'") == true)
    }

    @Test func unknownKey() {
        let found = issues(
            """
              - id: a
                kind: done
                colour: red
                text: {nl: a, en: a}
            """)
        #expect(found.count == 1)
        #expect(found.first?.location == FileLocation(file: "Flows/demo.yaml", line: 7, column: 5))
        #expect(found.first?.reason.hasPrefix("unknown key 'colour' in a done step") == true)
    }

    @Test func danglingTransition() {
        let found = issues(
            """
              - id: a
                kind: info
                text: {nl: a, en: a}
                next: nowhere
              - id: b
                kind: done
                text: {nl: b, en: b}
            """)
        #expect(
            found.map(\.description).contains(
                "Flows/demo.yaml:5:5: step 'a' leads to 'nowhere', which does not exist in this flow"))
    }

    @Test func unreachableStep() {
        let found = issues(
            """
              - id: a
                kind: done
                text: {nl: a, en: a}
              - id: island
                kind: done
                text: {nl: b, en: b}
            """)
        #expect(found.map(\.description) == ["Flows/demo.yaml:8:5: step 'island' cannot be reached from the first step 'a'"])
    }

    @Test func missingTranslation() {
        let found = issues(
            """
              - id: a
                kind: done
                text:
                  nl: Alleen Nederlands
            """)
        #expect(found.map(\.description) == ["Flows/demo.yaml:8:7: missing en translation of 'text'"])
    }

    @Test func unknownDeviceClass() {
        let header = FlowLoaderTests.header.replacingOccurrences(of: "[printer]", with: "[printer, toaster]")
        let found = issues(
            """
              - id: a
                kind: done
                text: {nl: a, en: a}
            """, header: header)
        #expect(found.count == 1)
        #expect(found.first?.location.line == 3)
        #expect(found.first?.location.column == 21)
        #expect(found.first?.reason.hasPrefix("unknown device class 'toaster'") == true)
    }

    @Test func malformedYAML() {
        let found = issues(
            """
              - id: a
                kind: done
                text: {nl: a, en: a
              - id: b
            """)
        #expect(found.count == 1)
        #expect(found.first?.location.file == "Flows/demo.yaml")
        #expect(found.first?.location.line == 8)
        #expect(found.first?.reason.hasPrefix("malformed YAML") == true)
    }

    @Test func submitStepsMustMapEveryOutcome() {
        let found = issues(
            """
              - id: a
                kind: submit
                text: {nl: a, en: a}
                service: callStaff
                outcomes:
                  called: z
                  exploded: z
              - id: z
                kind: done
                text: {nl: z, en: z}
            """)
        #expect(found.map(\.description).contains { $0.hasPrefix("Flows/demo.yaml:11:7: unknown key 'exploded'") })
        #expect(found.map(\.description).contains { $0.contains("missing the key 'offline'") })
    }

    @Test func emptyFileAndWrongTopLevelAreOneLineEach() {
        #expect(FlowLoader.load([(name: "x.yaml", text: "")]).issues.map(\.description) == ["x.yaml:1:1: the file is empty"])
        let list = FlowLoader.load([(name: "x.yaml", text: "- 1\n- 2\n")]).issues
        #expect(list.count == 1)
        #expect(list.first?.reason.contains("must be a mapping") == true)
    }

    @Test func duplicateFlowIdsAcrossFiles() {
        let text = FlowLoaderTests.header + "  - id: a\n    kind: done\n    text: {nl: a, en: a}\n"
        let result = FlowLoader.load([(name: "a.yaml", text: text), (name: "b.yaml", text: text)])
        #expect(result.issues.map(\.description) == ["b.yaml:1:1: flow id 'demo' is already used in a.yaml"])
    }
}
