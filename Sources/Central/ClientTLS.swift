public import AsyncHTTPClient
public import Foundation
import NIOSSL
import Synchronization

/// How an outgoing `https` connection is secured: the CAs it trusts instead of the system's (a municipality's own CA), and
/// for mutual TLS the kiosk's own certificate and key (an Alertmanager or proxy that admits known kiosks only).
///
/// ``validate()`` reads every file at start, so a missing, malformed or exposed one stops the start with one line instead of
/// failing every delivery later. The key is held in memory from then on: NIOSSL takes a key *file* named `.key` for DER,
/// and most PEM keys are named so. A renewed certificate and key are taken up at the next start.
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
    public func validate() throws(ClientTLSError) {
        if let caBundle {
            guard let roots = try? NIOSSLCertificate.fromPEMFile(caBundle), !roots.isEmpty else {
                throw ClientTLSError("\(caBundle) holds no PEM certificate")
            }
        }
        switch (certificate, key) {
        case (nil, nil): return
        case (.some, nil), (nil, .some): throw ClientTLSError("a client certificate needs both certFile and keyFile")
        case (.some(let certificate), .some(let key)):
            guard let chain = try? NIOSSLCertificate.fromPEMFile(certificate), !chain.isEmpty else {
                throw ClientTLSError("\(certificate) holds no PEM certificate")
            }
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: key),
                let mode = attributes[.posixPermissions] as? Int
            else { throw ClientTLSError("cannot read the key file \(key)") }
            guard mode & 0o077 == 0 else {
                throw ClientTLSError("the key file \(key) is readable by others (mode \(String(mode, radix: 8))); chmod 600 it")
            }
            guard (try? NIOSSLPrivateKey(file: key, format: .pem)) != nil else {
                throw ClientTLSError("\(key) holds no PEM private key")
            }
        }
    }

    func configuration() throws(ClientTLSError) -> TLSConfiguration? {
        guard caBundle != nil || certificate != nil else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caBundle { tls.trustRoots = .file(caBundle) }
        if let certificate, let key {
            guard let chain = try? NIOSSLCertificate.fromPEMFile(certificate),
                let privateKey = try? NIOSSLPrivateKey(file: key, format: .pem)
            else { throw ClientTLSError("cannot load the client certificate \(certificate) and key \(key)") }
            tls.certificateChain = chain.map { .certificate($0) }
            tls.privateKey = .privateKey(privateKey)
        }
        return tls
    }

    /// One client per TLS setting for the process's life (never shut down, so never released). None retries a refused
    /// connection: a peer that is down should be "unavailable" at once.
    static let clients = Mutex<[ClientTLS: HTTPClient]>([:])

    /// - throws: ``ClientTLSError`` only when a client certificate or key no longer loads (checked by ``validate()``).
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
