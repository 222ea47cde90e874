import Foundation
public import KioskCore

/// The flows in the repository's `Flows/`, as kioskd ships them: the one place tests read them from.
public enum ShippedFlows {
    public static let folder = Harness.root + "/Flows"

    /// The extract flow, whose product choice is the catalogue (kiosk-central's `--products`).
    public static let extractFlow = folder + "/extract-request.yaml"

    /// Each file's name (as `Flows/NAME`) and text.
    public static func files() throws -> [(name: String, text: String)] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.sorted().map {
            (name: "Flows/" + $0, text: try String(contentsOfFile: folder + "/" + $0, encoding: .utf8))
        }
    }

    /// The flows, loaded; a shipped flow with an issue stops the test.
    public static func flows() throws -> [Flow] {
        let result = FlowLoader.load(try files())
        guard result.issues.isEmpty else { throw HarnessError("the shipped flows: \(result.issues)") }
        return result.flows
    }

    public static func catalogue() throws -> ProductCatalogue {
        ProductCatalogue(flows: try flows())
    }
}
