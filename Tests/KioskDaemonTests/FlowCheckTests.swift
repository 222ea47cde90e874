import Foundation
import KioskTesting
import Testing

/// `kioskctl flows check` and kioskd's refusal to start, on the shipped flows and on a broken copy.
@Suite struct FlowCheckTests {
    @Test func theShippedFlowsPass() async throws {
        let out = try await Harness.run(try Harness.binary("kioskctl"), ["flows", "check", Harness.root + "/Flows"])
        #expect(out.status == 0)
        #expect(out.stdout.hasSuffix("3 files, 3 flows: ok (extract-request, pickup, call-staff)\n"))
    }

    @Test func aDanglingTransitionNamesFileAndLineAndStopsKioskd() async throws {
        let dir = try Harness.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: Harness.root + "/Flows", toPath: dir + "/Flows")
        let pickup = dir + "/Flows/pickup.yaml"
        let text = try String(contentsOfFile: pickup, encoding: .utf8)
        try text.replacingOccurrences(of: "      found: identify", with: "      found: identfy").write(
            toFile: pickup, atomically: true, encoding: .utf8)
        let line = text.components(separatedBy: "\n").firstIndex { $0.contains("- id: lookup") }! + 1

        let check = try await Harness.run(try Harness.binary("kioskctl"), ["flows", "check", dir + "/Flows"])
        #expect(check.status == 1)
        let expected = "\(dir)/Flows/pickup.yaml:\(line):5: step 'lookup' leads to 'identfy', which does not exist in this flow"
        #expect(check.stdout.contains(expected))

        let daemon = try await Harness.run(
            try Harness.binary("kioskd"), ["--config", try Harness.config(in: dir, flows: dir + "/Flows")])
        #expect(daemon.status == 1)
        #expect(daemon.stderr.contains("kioskd: " + expected))
    }

    @Test func malformedYAMLIsOneLine() async throws {
        let dir = try Harness.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "id: x\ntitle: {nl: a, en: b\n".write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let check = try await Harness.run(try Harness.binary("kioskctl"), ["flows", "check", dir])
        #expect(check.status == 1)
        #expect(check.stdout.hasPrefix("\(dir)/bad.yaml:3:1: malformed YAML"))
        #expect(check.stdout.split(separator: "\n").count == 1)
    }

    @Test func aBrokenConfigIsRefusedWithItsLine() async throws {
        let dir = try Harness.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = try Harness.config(in: dir)
        let text = try String(contentsOfFile: config, encoding: .utf8)
        try (text + "\ncolour: red\n").write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try await Harness.run(try Harness.binary("kioskd"), ["--config", config])
        #expect(daemon.status == 1)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).count + 1
        #expect(daemon.stderr.contains("kiosk.yaml:\(line):1: unknown key 'colour' in the config"))
        let missing = try await Harness.run(try Harness.binary("kioskd"), ["--config", dir + "/nope.yaml"])
        #expect(missing.stderr == "kioskd: cannot read the config file \(dir)/nope.yaml\n")
    }
}

@Suite struct StartupTests {
    @Test func theTerminalFrontWithoutATerminalSaysWhatToDo() async throws {
        let dir = try Harness.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = try await Harness.run(
            try Harness.binary("kioskd"), ["--config", try Harness.config(in: dir, front: "terminal")])
        #expect(out.status == 1)
        #expect(out.stderr == "kioskd: the terminal front needs a terminal on standard input; use --front headless\n")
        #expect(!FileManager.default.fileExists(atPath: dir + "/k.sock.lock"), "the lock is given back")
    }

    @Test func aMalformedAlertSinkIsRefusedWithItsLine() async throws {
        let dir = try Harness.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sinks = """
            alerts:
              sinks:
                - name: staff
                  kind: alertmanager
                  url: ftp://example
                - name: staff
                  kind: pager
                - kind: webhook
                  refreshSeconds: 1
                  silenceHours: 4
            metrics:
              listen: 0.0.0.0:9464
            """
        let config = try Harness.config(in: dir, extraConfig: sinks)
        let text = try String(contentsOfFile: config, encoding: .utf8)
        let first = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("alerts:") }! + 1
        let daemon = try await Harness.run(try Harness.binary("kioskd"), ["--config", config])
        #expect(daemon.status == 1)
        let lines = daemon.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains("kioskd: \(config):\(first + 4):12: url 'ftp://example' must be an http or https address"))
        #expect(lines.contains { $0.hasSuffix(":\(first + 5):13: two sinks are named 'staff'") })
        #expect(lines.contains { $0.hasSuffix(":\(first + 6):13: unknown kind 'pager' (expected one of: alertmanager, webhook, central)") })
        #expect(lines.contains { $0.contains(":\(first + 7):") && $0.contains("url") })
        #expect(lines.contains { $0.contains(":\(first + 8):") && $0.contains("refreshSeconds") })
        #expect(lines.contains { $0.hasSuffix(":\(first + 9):21: silenceHours is for an alertmanager sink") })
        #expect(lines.contains { $0.contains(":\(first + 11):") && $0.contains("must be a loopback address") })
    }

    @Test func aSinkCredentialOthersCanReadStopsTheStart() async throws {
        let dir = try Harness.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        FileManager.default.createFile(
            atPath: dir + "/am.token", contents: Data("0123456789abcdef0123".utf8), attributes: [.posixPermissions: 0o644])
        let sinks = """
            alerts:
              sinks:
                - name: staff
                  kind: alertmanager
                  url: http://127.0.0.1:9093
                  tokenFile: am.token
            """
        let config = try Harness.config(in: dir, extraConfig: sinks)
        let daemon = try await Harness.run(try Harness.binary("kioskd"), ["--config", config])
        #expect(daemon.status == 1)
        #expect(
            daemon.stderr
                == "kioskd: sink staff: the token file \(dir)/am.token is readable by others (mode 644); chmod 600 it\n")
    }

    /// A sink's TLS files are checked before anything starts: a client key others may read, a CA file that is no
    /// certificate, and TLS files on a plain http url stop the start, one line for each.
    @Test func aSinksTLSFilesAreCheckedAtStart() async throws {
        let certificates = try await TestCertificates.make()
        defer { try? FileManager.default.removeItem(atPath: certificates.dir) }
        func start(_ url: String, _ files: [String]) async throws -> Harness.Output {
            let dir = try Harness.scratch()
            let sinks = """
                alerts:
                  sinks:
                    - name: staff
                      kind: alertmanager
                      url: \(url)
                \(files.map { "      \($0)\n" }.joined())
                """
            let config = try Harness.config(in: dir, extraConfig: sinks)
            return try await Harness.run(try Harness.binary("kioskd"), ["--config", config])
        }
        let mutual = ["caFile: \(certificates.ca)", "certFile: \(certificates.clientCertificate)", "keyFile: \(certificates.clientKey)"]
        chmod(certificates.clientKey, 0o644)
        let exposed = try await start("https://127.0.0.1:9093", mutual)
        #expect(exposed.status == 1)
        #expect(
            exposed.stderr
                == "kioskd: sink staff: the key file \(certificates.clientKey) is readable by others (mode 644); chmod 600 it\n")
        chmod(certificates.clientKey, 0o600)
        let notACertificate = try await start("https://127.0.0.1:9093", ["caFile: \(certificates.dir)/client.ext"])
        #expect(notACertificate.stderr == "kioskd: sink staff: \(certificates.dir)/client.ext holds no PEM certificate\n")
        let keyAlone = try await start("https://127.0.0.1:9093", ["keyFile: \(certificates.clientKey)"])
        #expect(keyAlone.stderr == "kioskd: sink staff: a client certificate needs both certFile and keyFile\n")
        let plain = try await start("http://127.0.0.1:9093", mutual)
        #expect(plain.status == 1)
        let lines = plain.stderr.split(separator: "\n")
        #expect(lines.count == 3 && lines.allSatisfy { $0.hasSuffix("File is for an https url") }, "\(plain.stderr)")
    }
}
