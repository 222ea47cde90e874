import ArgumentParser
import Foundation
import KioskControl
import KioskCore

extension Flows {
    struct Diagram: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw a flow as a service blueprint: the resident's steps, the kiosk's actions, the back office's work.",
            discussion: "Works on the flow files alone, with kioskd stopped. SVG is laid out by Graphviz's dot program.")

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case svg, dot
        }

        @Argument(help: "The flow's id, e.g. extract-request.")
        var flow: String

        @Option(help: "svg (laid out by Graphviz) or dot (its source).")
        var format: Format = .svg

        @Option(help: ArgumentHelp("The folder of flow files.", valueName: "DIR"))
        var directory = "Flows"

        @Option(help: "The language of the labels: nl or en.")
        var language = "nl"

        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "FILE"))
        var output: String?

        func run() throws {
            let result: FlowLoader.Result
            do {
                result = FlowLoader.load(try OperatorFiles.yaml(in: directory))
            } catch {
                throw Self.fail(error.description)
            }
            guard result.issues.isEmpty else {
                for issue in result.issues { print(issue.description) }
                throw ExitCode(1)
            }
            guard let found = result.flows.first(where: { $0.id == flow }) else {
                throw Self.fail(
                    "no flow '\(flow)' in \(directory) (there are: \(result.flows.map(\.id).joined(separator: ", ")))")
            }
            guard let shown = Language(rawValue: language) else { throw Self.fail("language must be nl or en") }
            let source = FlowDiagram.dot(found, language: shown)
            let drawn: Data
            switch format {
            case .dot: drawn = Data(source.utf8)
            case .svg:
                do { drawn = try Graphviz.render(source, format: "svg") } catch { throw Self.fail(error.description) }
            }
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: drawn) else {
                    throw Self.fail("cannot write \(output)")
                }
            } else {
                FileHandle.standardOutput.write(drawn)
            }
        }

        static func fail(_ line: String) -> ExitCode {
            FileHandle.standardError.write(Data("kioskctl: \(line)\n".utf8))
            return ExitCode(1)
        }
    }
}
