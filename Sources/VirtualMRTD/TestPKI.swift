public import Foundation
public import MRTD

/// The test PKI a virtual document is signed under: a test CSCA (brainpoolP384r1 with explicit parameters, as most real
/// CSCAs), a Document Signer under it, and the bad ones the negative cases need: a DS under a CSCA nobody trusts, and an
/// expired DS. Made with the `openssl` command in a folder, once; a folder that has them already is used as it is.
///
/// ```swift
/// let pki = try TestPKI(directory: "/tmp/pki")     // kiosk-emrtd --pki DIR does the same
/// let trust = try TrustStore([pki.csca])           // what a kiosk configured with csca.pem trusts
/// ```
public struct TestPKI: Sendable {
    public let directory: String
    public let csca: Certificate

    /// The Document Signers the PKI holds.
    public enum Signer: String, Sendable, CaseIterable {
        case valid = "ds"
        /// Under `rogue-csca.pem`, which no kiosk trusts.
        case rogue = "rogue-ds"
        /// Under the test CSCA, but expired yesterday.
        case expired = "expired-ds"
    }

    public struct SetupError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(directory: String) throws {
        self.directory = directory
        let cscaFile = directory + "/csca.pem"
        if !FileManager.default.fileExists(atPath: cscaFile) { try Self.make(in: directory) }
        csca = try Certificate(der: Array(try Data(contentsOf: URL(fileURLWithPath: cscaFile))))
    }

    /// The certificate and key of one of the Document Signers.
    package func signer(_ which: Signer) throws -> (Certificate, PrivateKey) {
        let certificate = try Certificate(der: try read(which.rawValue + ".pem"))
        return (certificate, try PrivateKey(pem: try read(which.rawValue + ".key")))
    }

    /// A key pair of the chip (for chip or active authentication) by name, made on first use: `ec-brainpoolP512r1`,
    /// `rsa-2048`.
    package func chipKey(_ name: String) throws -> PrivateKey {
        let file = "chip-\(name).key"
        if !FileManager.default.fileExists(atPath: directory + "/" + file) {
            let parts = name.split(separator: "-", maxSplits: 1).map(String.init)
            switch parts.first {
            case "rsa": try Self.openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:\(parts[1])", "-out", file], in: directory)
            default: try Self.openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:\(parts[1])", "-out", file], in: directory)
            }
        }
        return try PrivateKey(pem: try read(file))
    }

    private func read(_ file: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file)))
    }

    // MARK: - Making it

    static func make(in directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, subject) in [("csca", "Test CSCA NL"), ("rogue-csca", "Rogue CSCA")] {
            try openssl(
                [
                    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:brainpoolP384r1", "-pkeyopt",
                    "ec_param_enc:explicit", "-nodes", "-keyout", name + ".key", "-out", name + ".pem", "-subj",
                    "/C=NL/O=Kiosk Test/CN=\(subject)", "-days", "7300", "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                ], in: directory)
        }
        try "keyUsage=critical,digitalSignature\n".write(
            toFile: directory + "/ds.ext", atomically: true, encoding: .utf8)
        let signers: [(Signer, String, String)] = [(.valid, "csca", "3650"), (.rogue, "rogue-csca", "3650"), (.expired, "csca", "-1")]
        for (index, (signer, ca, days)) in signers.enumerated() {
            let name = signer.rawValue
            try openssl(
                [
                    "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", name + ".key",
                    "-out", name + ".csr", "-subj", "/C=NL/O=Kiosk Test/CN=Test Document Signer \(index + 1)",
                ], in: directory)
            try openssl(
                [
                    "x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-set_serial",
                    "\(index + 10)", "-days", days, "-extfile", "ds.ext", "-out", name + ".pem",
                ], in: directory)
        }
    }

    static func openssl(_ arguments: [String], in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw SetupError(description: "openssl \(arguments.first ?? ""): \(text.split(separator: "\n").last ?? "")")
        }
    }
}
