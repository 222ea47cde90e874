import Central
package import CentralAPI
package import Foundation
package import Hummingbird
import HummingbirdCore
import HummingbirdTLS
package import KioskCore
package import Logging
import NIOSSL
import OpenAPIHummingbird
import OpenAPIRuntime
package import ServiceLifecycle

/// Builds kiosk-central: the generated routes on ``CentralHandler``, behind bearer tokens and the fault-injection switch.
///
/// ```swift
/// let services = try await CentralServerApp.services(settings, logger: logger) { port in print("listening on \(port)") }
/// try await ServiceGroup(services: services, logger: logger).run()
/// ```
package enum CentralServerApp {
    package struct Settings: Sendable {
        package var host = "127.0.0.1"
        package var port = 8080
        package var databasePath: String
        /// The products (`--products`: the extract flow's product choice).
        package var catalogue: ProductCatalogue
        package var kioskTokens: [String]
        package var adminToken: String
        package var seeds: [Components.Schemas.PickupSeed] = []
        /// PEM certificate chain and key: serve https instead of http.
        package var tls: (certificate: String, key: String)?
        /// `--backend commonground`: the municipality's APIs behind the kiosk operations; nil is the local store.
        package var backOffice: BackOfficeConfig?

        package init(databasePath: String, catalogue: ProductCatalogue, kioskTokens: [String], adminToken: String) {
            self.databasePath = databasePath
            self.catalogue = catalogue
            self.kioskTokens = kioskTokens
            self.adminToken = adminToken
        }
    }

    /// The server, and with a back office the worker that runs its journal.
    package static func services(
        _ settings: Settings, logger: Logger, onListening: @escaping @Sendable (Int) -> Void
    ) async throws -> [any Service] {
        let store = try CentralStore(path: settings.databasePath)
        guard let config = settings.backOffice else {
            return [try await application(settings, store: store, gateway: nil, logger: logger, onListening: onListening)]
        }
        let (gateway, worker) = try await BackOfficeWorker.make(config, store: store, logger: logger)
        return [
            try await application(settings, store: store, gateway: gateway, logger: logger, onListening: onListening),
            worker,
        ]
    }

    static func application(
        _ settings: Settings, store: CentralStore, gateway: BackOfficeGateway?, logger: Logger,
        onListening: @escaping @Sendable (Int) -> Void
    ) async throws -> some ApplicationProtocol {
        let handler = CentralHandler(store: store, catalogue: settings.catalogue, gateway: gateway)
        if !settings.seeds.isEmpty {
            _ = try await handler.seedPickups(.init(body: .json(settings.seeds)))
        }
        let router = Router()
        router.middlewares.add(ProblemMiddleware(logger: logger))
        router.middlewares.add(BearerMiddleware(kioskTokens: settings.kioskTokens, adminToken: settings.adminToken))
        router.middlewares.add(BehaviourMiddleware())
        try handler.registerHandlers(
            on: router, serverURL: URL(string: "/")!, configuration: Configuration(dateTranscoder: RFC3339Transcoder()))
        var server = HTTPServerBuilder.http1()
        if let tls = settings.tls {
            let chain = try NIOSSLCertificate.fromPEMFile(tls.certificate).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: tls.key, format: .pem)
            server = try .tls(
                .http1(), tlsConfiguration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key)))
        }
        return Application(
            router: router, server: server,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "kiosk-central"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? settings.port) }, logger: logger)
    }

    /// Reads a bearer token file (see `TokenFile`), as a one-line ``ConfigurationError``.
    package static func token(fromFile path: String) throws(ConfigurationError) -> String {
        do {
            return try TokenFile.read(path)
        } catch {
            throw ConfigurationError(error.description)
        }
    }

    /// The products of a flow file's product choice (the extract flow), as a one-line ``ConfigurationError``.
    package static func catalogue(flowFile path: String) throws(ConfigurationError) -> ProductCatalogue {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigurationError("cannot read the products' flow file \(path)")
        }
        let result = FlowLoader.load([(name: path, text: text)])
        guard result.issues.isEmpty else { throw ConfigurationError(result.issues.map(\.description).joined(separator: "\n")) }
        let catalogue = ProductCatalogue(flows: result.flows)
        guard !catalogue.products.isEmpty else {
            throw ConfigurationError("\(path): no choice step keeps a product (store: product)")
        }
        return catalogue
    }

    /// Reads pickups to seed from YAML: `pickups: [{code, documentKind, bsn, birthDate, surname}]`.
    package static func seeds(yaml text: String, file: String) throws(ConfigurationError) -> [Components.Schemas.PickupSeed] {
        var issues: [SourceIssue] = []
        var seeds: [Components.Schemas.PickupSeed] = []
        if let top = YAMLMap.document(text, file: file, issues: &issues) {
            top.rejectUnknownKeys(["pickups"], in: "a seed file", issues: &issues)
            for entry in top.maps("pickups", in: "a seed file", issues: &issues) ?? [] {
                entry.rejectUnknownKeys(["code", "documentKind", "bsn", "birthDate", "surname"], in: "a pickup", issues: &issues)
                let code = entry.string("code", in: "a pickup", issues: &issues)
                let kind = entry.word(
                    "documentKind", as: Components.Schemas.PickupSeed.DocumentKindPayload.self, in: "a pickup", issues: &issues)
                let bsn = entry.string("bsn", in: "a pickup", issues: &issues)
                let birth = entry.string("birthDate", in: "a pickup", issues: &issues)
                let surname = entry.string("surname", in: "a pickup", issues: &issues)
                if let code, (try? PickupCode(code)) == nil {
                    issues.append(SourceIssue(entry.location(of: "code"), "'\(code)' is not a pickup code"))
                }
                if let bsn, (try? BSN(bsn)) == nil {
                    issues.append(SourceIssue(entry.location(of: "bsn"), "the BSN is not nine digits that pass the 11-proef"))
                }
                if let code, let kind, let bsn, let birth, let surname, let valid = try? PickupCode(code) {
                    seeds.append(.init(code: valid.value, documentKind: kind, bsn: bsn, birthDate: birth, surname: surname))
                }
            }
        }
        guard issues.isEmpty else { throw ConfigurationError(issues.map(\.description).joined(separator: "\n")) }
        return seeds
    }
}

/// A set-up problem kiosk-central reports before it starts, one line each.
package struct ConfigurationError: Error, CustomStringConvertible {
    package let description: String
    package init(_ message: String) { description = message }
}
