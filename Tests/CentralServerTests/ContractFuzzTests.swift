import CentralAPI
import Foundation
import HTTPTypes
import KioskTesting
import OpenAPIRuntime
import Testing

@testable import CentralServer

#if canImport(Glibc)
    import Glibc
#endif
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// kiosk-central keeps its own contract: schemathesis (from PyPI, in .build/venv) with every check against a server of
/// the test's own, and shutdown within the grace period whatever the server is doing.
@Suite struct ContractFuzzTests {
    static var python: String { Harness.root + "/.build/venv/bin/python" }
    static var schemathesis: String { Harness.root + "/.build/venv/bin/st" }

    /// One schemathesis run; its report in the failure message when it finds anything.
    static func fuzz(_ central: RunningCentral, token: String, paths: [String]) async throws {
        let out = try await Harness.run(
            schemathesis,
            [
                "--config-file", Harness.root + "/Tests/Fixtures/schemathesis/schemathesis.toml", "run",
                Harness.root + "/Sources/CentralAPI/openapi.yaml", "--url",
                central.url.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/")), "--checks", "all",
                "--header", "Authorization: Bearer \(token)", "--max-examples", "40", "--seed", "20261128",
                "--request-timeout", "10", "--no-color", "--generation-database", "none",
                "--report", "junit", "--report-dir", NSTemporaryDirectory() + "schemathesis-\(getpid())",
            ] + paths.flatMap { ["--include-path-regex", $0] })
        let summary = out.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(out.status == 0, "schemathesis: \(summary)\n\(out.stdout.suffix(12000))\n\(out.stderr.suffix(2000))")
        #expect(!summary.contains("failure") && !summary.contains("error"), "\(summary)")
    }

    @Test func schemathesisFindsNothingInTheKioskOperations() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.schemathesis), "run make venv (make test does)")
        let central = try await CentralPeer.start()
        try await Self.fuzz(central, token: CentralPeer.kioskToken, paths: ["^/v1/"])
        try await CentralPeer.stop(central)
    }

    /// The admin operations too, but for the fault-injection switch, which would make the server hang or drop on purpose.
    @Test func schemathesisFindsNothingInTheAdminOperations() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.schemathesis), "run make venv (make test does)")
        let central = try await CentralPeer.start()
        try await Self.fuzz(central, token: CentralPeer.adminToken, paths: ["^/admin/(pickups|cases|faults)"])
        try await CentralPeer.stop(central)
    }

    @Test func sigtermDuringAHangStopsWithinTheGracePeriod() async throws {
        let central = try await CentralPeer.start()
        _ = try await CentralPeer.admin(of: central).setBehaviour(body: .json(.init(hang: true))).noContent
        let client = try await CentralPeer.client(timeout: 60, of: central)
        let hanging = Task { try? await client.getCatalog() }
        // The request is in the server once it says it holds it.
        try await Harness.eventually("kiosk-central holding the request", seconds: 60) {
            ((try? String(contentsOfFile: central.dir + "/err", encoding: .utf8)) ?? "").contains("behaviour: holding a request")
        }
        let start = ContinuousClock.now
        kill(central.pid, SIGTERM)
        var status: Int32 = 0
        var exited = false
        while ContinuousClock.now - start < .seconds(15) {
            if waitpid(central.pid, &status, WNOHANG) == central.pid {
                exited = true
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        hanging.cancel()
        #expect(exited, "kiosk-central still runs 15 s after SIGTERM")
        #expect(ContinuousClock.now - start < .seconds(10), "the grace period is 5 s, and 3 s more for cancellation")
        if !exited { kill(central.pid, SIGKILL) }
    }

    /// The tables kiosk-central answers 405 and null by are the document's own.
    @Test func theContractTablesAreTheDocuments() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.python), "run make venv (make test does)")
        let script = """
            import json, sys, yaml
            d = yaml.safe_load(open(sys.argv[1]))
            names = set()
            def walk(s):
                if isinstance(s, dict):
                    for k, v in s.get("properties", {}).items():
                        names.add(k); walk(v)
                    for key in ("items", "allOf", "oneOf", "anyOf"):
                        for x in (s[key] if isinstance(s.get(key), list) else [s[key]] if key in s else []): walk(x)
            for s in d["components"]["schemas"].values(): walk(s)
            paths = {p: sorted(m.upper() for m in ops if m in ("get", "post", "put", "delete", "patch")) for p, ops in d["paths"].items()}
            print(json.dumps({"names": sorted(names), "paths": paths}))
            """
        let out = try await Harness.run(Self.python, ["-c", script, Harness.root + "/Sources/CentralAPI/openapi.yaml"])
        try #require(out.status == 0, "\(out.stderr)")
        struct Tables: Decodable {
            var names: [String]
            var paths: [String: [String]]
        }
        let tables = try JSONDecoder().decode(Tables.self, from: Data(out.stdout.utf8))
        #expect(Set(tables.names) == ContractRoutes.propertyNames)
        let ours = Dictionary(
            uniqueKeysWithValues: ContractRoutes.table.map { ($0.template, $0.methods.map(\.rawValue).sorted()) })
        #expect(ours == tables.paths)
    }

    @Test func anUndeclaredMethodIs405WithAllow() async throws {
        let central = try await CentralPeer.shared.value
        var request = URLRequest(url: central.url.appendingPathComponent("v1/catalog"))
        request.httpMethod = "DELETE"
        request.setValue("Bearer \(CentralPeer.kioskToken)", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 405)
        #expect(http.value(forHTTPHeaderField: "Allow") == "GET")
        #expect(http.value(forHTTPHeaderField: "Content-Type") == "application/problem+json")
        #expect(String(decoding: data, as: UTF8.self).contains("\"status\":405"))
    }
}
