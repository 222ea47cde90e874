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
        // Written last by make(in:): a folder without it is missing something, and is made again.
        if !FileManager.default.fileExists(atPath: directory + "/complete") { try Self.make(in: directory) }
        csca = try Certificate(der: Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/csca.pem"))))
    }

    /// The certificate and key of one of the Document Signers.
    package func signer(_ which: Signer) throws -> (Certificate, PrivateKey) {
        let certificate = try Certificate(der: try read(which.rawValue + ".pem"))
        return (certificate, try PrivateKey(pem: try read(which.rawValue + ".key")))
    }

    /// The chip keys the profiles use, each with a `-clone` twin (a copy's own key), made with the PKI.
    static let chipKeys = ["ec-brainpoolP512r1", "ec-prime256v1", "ec-brainpoolP320r1", "rsa-2048", "rsa-1024"]

    /// A key pair of the chip (for chip or active authentication) by name: `ec-CURVE` or `rsa-BITS`, with `-clone` for a
    /// second key of the same kind. Made on first use when the PKI folder predates it.
    package func chipKey(_ name: String) throws -> PrivateKey {
        let file = directory + "/chip-\(name).key"
        if !FileManager.default.fileExists(atPath: file) { try Self.makeChipKey(name, in: directory) }
        return try PrivateKey(pem: try read("chip-\(name).key"))
    }

    /// Writes the key under a temporary name and renames it, so that a reader never sees half a file.
    static func makeChipKey(_ name: String, in directory: String) throws {
        let kind = name.hasSuffix("-clone") ? String(name.dropLast(6)) : name
        let parts = kind.split(separator: "-", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw SetupError(description: "chip key '\(name)' is not ec-CURVE or rsa-BITS") }
        let temporary = "chip-\(name).key.\(UInt32.random(in: 0...UInt32.max))"
        let option = parts[0] == "rsa" ? "rsa_keygen_bits:\(parts[1])" : "ec_paramgen_curve:\(parts[1])"
        try openssl(
            ["genpkey", "-algorithm", parts[0] == "rsa" ? "RSA" : "EC", "-pkeyopt", option, "-out", temporary], in: directory)
        guard rename(directory + "/" + temporary, directory + "/chip-\(name).key") == 0 else {
            throw SetupError(description: "cannot name the chip key \(name)")
        }
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
        for key in chipKeys { for name in [key, key + "-clone"] { try makeChipKey(name, in: directory) } }
        try "keyUsage=critical,digitalSignature\n".write(
            toFile: directory + "/ds.ext", atomically: true, encoding: .utf8)
        let signers: [(Signer, String, String)] = [
            (.valid, "csca", "3650"), (.rogue, "rogue-csca", "3650"), (.expired, "csca", "-1"),
        ]
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
        FileManager.default.createFile(atPath: directory + "/complete", contents: Data())
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
