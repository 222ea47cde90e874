import AsyncHTTPClient
import CommonGround
import Foundation
package import Logging
import NIOSSL
package import ServiceLifecycle

/// Runs the back-office journal: every request left unfinished by a failure or a crash, again when its time comes.
package struct BackOfficeWorker: Service {
    let gateway: BackOfficeGateway
    /// Shut down when it stops (AsyncHTTPClient requires it): the one client, and the BRP's own with mutual TLS.
    let clients: [HTTPClient]

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await gateway.runDue()
                try? await Task.sleep(for: .seconds(1))
            }
        }
        for client in clients { try? await client.shutdown() }
    }

    /// The gateway and its worker for a configuration, on one HTTP client (a second one for the BRP with mutual TLS).
    package static func make(_ config: BackOfficeConfig, store: CentralStore, logger: Logger) async throws
        -> (BackOfficeGateway, BackOfficeWorker)
    {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let http = BackOfficeHTTP(client: client, timeoutSeconds: config.timeoutSeconds)
        let brp: BRPClient
        var clients = [client]
        switch config.brpAuthentication {
        case .apiKey(let header, let value):
            brp = BRPClient(http: http, baseURL: config.brpURL, authentication: .apiKey(header: header, value: value))
        case .mutualTLS(let certificate, let key, let trust):
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            if let trust { tls.trustRoots = .file(trust) }
            let mtls = HTTPClient(
                eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(tlsConfiguration: tls))
            clients.append(mtls)
            brp = BRPClient(
                http: BackOfficeHTTP(client: mtls, timeoutSeconds: config.timeoutSeconds), baseURL: config.brpURL,
                authentication: .mutualTLS)
        }
        let zgw = ZGWClient(
            http: http, token: await ZGWToken(clientID: config.zgwClientID, secret: config.zgwSecret),
            catalogi: config.catalogiURL, zaken: config.zakenURL, documenten: config.documentenURL)
        let klant = KlantinteractiesClient(http: http, baseURL: config.klantinteractiesURL, token: config.klantToken)
        let gateway = BackOfficeGateway(
            config: config, brp: brp, zgw: zgw, klant: klant,
            journal: BackOfficeJournal(store: store, key: config.journalKey), logger: logger)
        return (gateway, BackOfficeWorker(gateway: gateway, clients: clients))
    }
}
