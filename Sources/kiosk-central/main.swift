import ArgumentParser
import CentralServer
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// kiosk-central: the reference central server a municipality replaces with its own systems. Parses arguments and runs.
@main
struct KioskCentral: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk-central",
        abstract: "Serve the kiosk central API on SQLite, for the demo and the tests.",
        discussion:
            "Prints 'kiosk-central listening on http://HOST:PORT' once it accepts connections (use --port 0 for a free port).")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on; 0 picks a free one.") var port = 8080
    @Option(help: ArgumentHelp("The SQLite database file (made if missing).", valueName: "FILE")) var database: String
    @Option(help: ArgumentHelp("File with the kiosks' bearer token, mode 0600.", valueName: "FILE")) var tokenFile: String
    @Option(help: ArgumentHelp("File with the admin bearer token, mode 0600.", valueName: "FILE")) var adminTokenFile: String
    @Option(
        help: ArgumentHelp(
            "The extract flow (Flows/extract-request.yaml): its product choice is the catalog, with titles and fees.",
            valueName: "FILE"))
    var products: String
    @Option(help: ArgumentHelp("YAML file of pickups to seed.", valueName: "FILE")) var seed: String?
    @Option(help: ArgumentHelp("PEM certificate chain: serve https (with --tls-key).", valueName: "FILE")) var tlsCert: String?
    @Option(help: ArgumentHelp("PEM private key for --tls-cert.", valueName: "FILE")) var tlsKey: String?
    @Option(
        help:
            "Where cases, pickups and contacts go: local (this server's database) or commonground (the BRP, ZGW APIs and Klantinteracties, see --config)."
    )
    var backend: Backend = .local
    @Option(help: ArgumentHelp("The back-office configuration, for --backend commonground.", valueName: "FILE"))
    var config: String?
    @Flag(help: "Stop when the process that started this one ends (for test harnesses and scripts).") var exitWithParent = false

    enum Backend: String, ExpressibleByArgument, CaseIterable {
        case local, commonground
    }

    func validate() throws {
        if (backend == .commonground) != (config != nil) { throw ValidationError("--backend commonground takes --config FILE") }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
    }

    func run() async throws {
        // Every file it makes (the database, its WAL, any journal) is its user's alone, whatever umask it was started with.
        umask(0o077)
        var settings: CentralServerApp.Settings
        do {
            settings = CentralServerApp.Settings(
                databasePath: database, catalogue: try CentralServerApp.catalogue(flowFile: products),
                kioskTokens: [try CentralServerApp.token(fromFile: tokenFile)],
                adminToken: try CentralServerApp.token(fromFile: adminTokenFile))
            if let seed {
                guard let text = try? String(contentsOfFile: seed, encoding: .utf8) else {
                    throw ConfigurationError("cannot read the seed file \(seed)")
                }
                settings.seeds = try CentralServerApp.seeds(yaml: text, file: seed)
            }
            if let config { settings.backOffice = try BackOfficeConfig.load(path: config) }
        } catch {
            FileHandle.standardError.write(Data("kiosk-central: \(error)\n".utf8))
            throw ExitCode(1)
        }
        settings.host = host
        settings.port = port
        if let tlsCert, let tlsKey { settings.tls = (tlsCert, tlsKey) }
        let scheme = settings.tls == nil ? "http" : "https"
        let logger = Logger(label: "kiosk-central")
        let services: [any Service]
        do {
            let host = settings.host
            let scheme = scheme
            services = try await CentralServerApp.services(settings, logger: logger) { port in
                FileHandle.standardOutput.write(Data("kiosk-central listening on \(scheme)://\(host):\(port)\n".utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("kiosk-central: cannot open \(database): \(error)\n".utf8))
            throw ExitCode(1)
        }
        // Whatever it is doing (a request that hangs on purpose, a back-office call), it stops within its grace period:
        // 5 s to finish what is under way, then what is left is cancelled, and after 3 s more it exits regardless.
        var configuration = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = .seconds(5)
        configuration.maximumCancellationDuration = .seconds(3)
        let group = ServiceGroup(configuration: configuration)
        try await group.run()
    }
}
