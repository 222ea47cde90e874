import Foundation

/// A private CA for one test, with a server certificate for 127.0.0.1 and a client certificate (mutual TLS), made with the
/// openssl command line. The client key is mode 0600, as kioskd wants it.
public struct TestCertificates: Sendable {
    public let dir: String
    public var ca: String { dir + "/ca.pem" }
    public var serverCertificate: String { dir + "/server.pem" }
    public var serverKey: String { dir + "/server.key" }
    public var clientCertificate: String { dir + "/client.pem" }
    public var clientKey: String { dir + "/client.key" }

    public static func make() async throws -> TestCertificates {
        let dir = try Harness.scratch()
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try await openssl(
            ["req", "-x509"] + key + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=kiosk test CA"], in: dir)
        for (name, usage) in [("server", "serverAuth\nsubjectAltName=IP:127.0.0.1"), ("client", "clientAuth")] {
            try "extendedKeyUsage=\(usage)\n".write(toFile: "\(dir)/\(name).ext", atomically: true, encoding: .utf8)
            try await openssl(["req"] + key + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(name)"], in: dir)
            try await openssl(
                [
                    "x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                    "\(name).pem", "-days", "2", "-extfile", "\(name).ext",
                ], in: dir)
        }
        chmod(dir + "/client.key", 0o600)
        return TestCertificates(dir: dir)
    }

    static func openssl(_ arguments: [String], in dir: String) async throws {
        let out = try await Harness.run("/bin/sh", ["-c", "cd \"$0\" && exec openssl \"$@\"", dir] + arguments)
        guard out.status == 0 else { throw PeerError("openssl \(arguments.first ?? ""): \(out.stderr.suffix(300))") }
    }
}
