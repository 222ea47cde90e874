import Foundation
import KioskTesting
import Testing

/// What kioskd and kiosk-central leave on disk: every file 0600 and every folder 0700 whatever the umask they start with,
/// and the outbox key apart from the outbox when systemd hands it in.
@Suite struct DataAtRestTests {
    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
    }

    @Test func everyStateFileIsTheKioskUsersAlone() async throws {
        // The test process's umask (022 here) would give 0644 files and 0755 folders.
        let previous = umask(0o022)
        defer { umask(previous) }
        let kiosk = try await RunningKiosk()
        try await kiosk.requestExtract(product: "standard")
        try await Harness.eventually("the request delivered") {
            try await kiosk.ctl("queue", "list", "--json").stdout.contains("\"state\" : \"delivered\"")
        }
        let state = kiosk.dir + "/state"
        #expect(Self.mode(state) == 0o700)
        let files = try FileManager.default.contentsOfDirectory(atPath: state)
        #expect(files.contains("outbox.sqlite") && files.contains("outbox.key"), "\(files)")
        for file in files {
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: state + "/" + file, isDirectory: &isFolder)
            #expect(Self.mode(state + "/" + file) == (isFolder.boolValue ? 0o700 : 0o600), "\(file)")
        }
        #expect(kiosk.log.contains("the outbox key lies beside the outbox"), "said at every start without a credential")
        #expect(try await kiosk.stop() == 0)

        let central = try await CentralPeer.shared.value
        for file in try FileManager.default.contentsOfDirectory(atPath: central.dir) where file.hasPrefix("central.db") {
            #expect(Self.mode(central.dir + "/" + file) == 0o600, "kiosk-central's \(file)")
        }
    }

    /// The key as a systemd credential: used from $CREDENTIALS_DIRECTORY, never written beside the outbox; a missing one
    /// stops the start in one line, rather than a new key being made that cannot open the old requests.
    @Test func theOutboxKeyComesFromSystemdCredentials() async throws {
        let credentials = try Harness.scratch()
        defer { try? FileManager.default.removeItem(atPath: credentials) }
        FileManager.default.createFile(
            atPath: credentials + "/outbox.key", contents: Data((0..<32).map { UInt8($0) }),
            attributes: [.posixPermissions: 0o400])
        let kiosk = try await RunningKiosk(environment: ["CREDENTIALS_DIRECTORY": credentials])
        try await kiosk.requestExtract(product: "standard")
        try await Harness.eventually("the request delivered") {
            try await kiosk.ctl("queue", "list", "--json").stdout.contains("\"state\" : \"delivered\"")
        }
        #expect(!FileManager.default.fileExists(atPath: kiosk.dir + "/state/outbox.key"))
        #expect(!kiosk.log.contains("the outbox key lies beside the outbox"))
        #expect(try await kiosk.stop() == 0)

        let empty = try Harness.scratch()
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let dir = try Harness.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let refused = try await Harness.run(
            try Harness.binary("kioskd"), ["--config", try Harness.config(in: dir)], environment: ["CREDENTIALS_DIRECTORY": empty]
        )
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains("the outbox key \(empty)/outbox.key is missing; make one with: head -c 32 /dev/urandom"),
            "\(refused.stderr)")
    }
}
