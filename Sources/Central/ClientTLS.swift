public import AsyncHTTPClient
public import Foundation
import NIOSSL
import Synchronization

/// How an outgoing `https` connection is secured: the CAs it trusts instead of the system's (a municipality's own CA), and
/// for mutual TLS the kiosk's own certificate and key (an Alertmanager or proxy that admits known kiosks only).
///
/// ``client()`` reads every file when it first makes a client, at start, so a missing, malformed or exposed one stops the start
/// with one line instead of failing every delivery later. What it read is held in memory from then on (NIOSSL would take a
/// key *file* named `.key` for DER, and most PEM keys are named so); a renewed certificate is taken up at the next start.
public struct ClientTLS: Sendable, Hashable {
    public var caBundle: String?
    public var certificate: String?
    public var key: String?

    public init(caBundle: String? = nil, certificate: String? = nil, key: String? = nil) {
        self.caBundle = caBundle
        self.certificate = certificate
        self.key = key
    }

    /// - throws: ``ClientTLSError``, one line naming the file.
    func configuration() throws(ClientTLSError) -> TLSConfiguration? {
        guard caBundle != nil || certificate != nil || key != nil else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caBundle { tls.trustRoots = .certificates(try Self.certificates(caBundle)) }
        switch (certificate, key) {
        case (nil, nil): break
        case (.some, nil), (nil, .some): throw ClientTLSError("a client certificate needs both certFile and keyFile")
        case (.some(let certificate), .some(let key)):
            tls.certificateChain = try Self.certificates(certificate).map { .certificate($0) }
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: key),
                let mode = attributes[.posixPermissions] as? Int
            else { throw ClientTLSError("cannot read the key file \(key)") }
            guard mode & 0o077 == 0 else {
                throw ClientTLSError("the key file \(key) is readable by others (mode \(String(mode, radix: 8))); chmod 600 it")
            }
            guard let privateKey = try? NIOSSLPrivateKey(file: key, format: .pem) else {
                throw ClientTLSError("\(key) holds no PEM private key")
            }
            tls.privateKey = .privateKey(privateKey)
        }
        return tls
    }

    static func certificates(_ path: String) throws(ClientTLSError) -> [NIOSSLCertificate] {
        guard let certificates = try? NIOSSLCertificate.fromPEMFile(path), !certificates.isEmpty else {
            throw ClientTLSError("\(path) holds no PEM certificate")
        }
        return certificates
    }

    /// One client per TLS setting for the process's life (never shut down, so never released). None retries a refused
    /// connection: a peer that is down should be "unavailable" at once.
    static let clients = Mutex<[ClientTLS: HTTPClient]>([:])

    /// - throws: ``ClientTLSError`` when a file is missing, malformed or readable by others (only the first time).
    public func client() throws(ClientTLSError) -> HTTPClient {
        if let client = Self.clients.withLock({ $0[self] }) { return client }
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.tlsConfiguration = try self.configuration()
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        return Self.clients.withLock { clients in
            // Two first uses at once: keep one client; the other is never used (clients live for the process anyway).
            if let first = clients[self] { return first }
            clients[self] = client
            return client
        }
    }

    /// A TLS failure in one line, without BoringSSL's source paths ("TLS: handshake failed: CERTIFICATE_VERIFY_FAILED");
    /// nil for any other error.
    public static func describe(_ error: any Error) -> String? {
        if let tls = error as? NIOSSLError {
            let text = "\(tls)"
            guard let range = text.range(of: "OPENSSL_internal:") else { return "TLS: \(text.prefix(120))" }
            return "TLS: handshake failed: \(text[range.upperBound...].prefix { $0 != " " && $0 != "]" })"
        }
        if let tls = error as? NIOSSLExtraError { return "TLS: \(tls)" }
        return nil
    }
}

public struct ClientTLSError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ message: String) { description = message }
}
