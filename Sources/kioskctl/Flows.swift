import ArgumentParser
import KioskControl
import KioskCore

struct Flows: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with flow definitions.", subcommands: [Check.self, Diagram.self, Funnel.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check flow files; print each problem as file:line:column: reason and exit 1 if there is any.")

        @Argument(help: ArgumentHelp("The folder of flow files.", valueName: "DIR"))
        var directory = "Flows"

        @Flag(name: .long, help: "Print JSON instead of text.")
        var json = false

        struct Report: Encodable {
            var ok: Bool
            var flows: [String]
            var problems: [String]
        }

        func run() throws {
            let files: [(name: String, text: String)]
            do {
                files = try OperatorFiles.yaml(in: directory)
            } catch {
                print(
                    json
                        ? #"{"ok": false, "flows": [], "problems": ["\#(error.description)"]}"# : "kioskctl: \(error.description)"
                )
                throw ExitCode(1)
            }
            var result = FlowLoader.load(files)
            if result.issues.isEmpty { result.issues = Self.layoutIssues(result.flows) }
            if json {
                let common = Common()
                common.printJSON(
                    Report(ok: result.issues.isEmpty, flows: result.flows.map(\.id), problems: result.issues.map(\.description)))
            } else {
                for issue in result.issues { print(issue.description) }
                if result.issues.isEmpty {
                    print(
                        "\(files.count) files, \(result.flows.count) flows: ok (\(result.flows.map(\.id).joined(separator: ", ")))"
                    )
                }
            }
            if !result.issues.isEmpty || files.isEmpty { throw ExitCode(1) }
        }

        /// Each flow's diagram must lay out too (`flows diagram`), when Graphviz is there to try.
        static func layoutIssues(_ flows: [Flow]) -> [SourceIssue] {
            guard Graphviz.program != nil else { return [] }
            return flows.compactMap { flow -> SourceIssue? in
                do {
                    _ = try Graphviz.render(FlowDiagram.dot(flow), format: "svg")
                    return nil
                } catch {
                    return SourceIssue(flow.location, "the diagram cannot be laid out: \(error)")
                }
            }
        }
    }
}
