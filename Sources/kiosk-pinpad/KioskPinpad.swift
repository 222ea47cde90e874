import ArgumentParser
import Foundation
import Logging
import Pinpad
import ServiceLifecycle
import UnixSignals

/// kiosk-pinpad: an OPI payment terminal simulator, as strict as a real terminal. Parses arguments and runs.
@main
struct KioskPinpad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk-pinpad",
        abstract: "Simulate an OPI (IFSF Open Payment Initiative) PIN terminal for kioskd's opi driver.",
        discussion: """
            Listens for the kiosk's requests (channel 0) and connects back to the kiosk for display texts and receipts \
            (channel 1). Prints 'kiosk-pinpad listening on HOST:PORT, admin http://HOST:APORT' once both accept \
            connections (0 picks free ports). The admin endpoint: GET /state, and PUT /behaviour with \
            {"next": "approve|decline|cancel|card-removed|busy|logged-out|slow|no-answer|drop-after-approve|hold|wrong-amount|garbage", \
            "times": N, "inquiries": true, "customerMillis": N}, every key optional.
            """)

    @Option(help: "Address for channel 0.") var host = "127.0.0.1"
    @Option(help: "Port for channel 0; 0 picks a free one.") var port = 4100
    @Option(help: "The kiosk's address for channel 1.") var deviceHost = "127.0.0.1"
    @Option(help: "The kiosk's port for channel 1.") var devicePort = 4102
    @Option(help: "Port of the admin endpoint (on loopback); 0 picks a free one.") var adminPort = 4180
    @Option(help: "The terminal's id, on receipts and approvals.") var terminalId = "PINPAD01"
    @Option(help: ArgumentHelp("What payments do until told otherwise.", valueName: "BEHAVIOUR")) var behaviour = "approve"
    @Flag(help: "Stop when the process that started this one ends (for test harnesses and scripts).") var exitWithParent = false

    func validate() throws {
        guard PinpadBehaviour(rawValue: behaviour) != nil else {
            throw ValidationError(
                "--behaviour must be one of: \(PinpadBehaviour.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        if exitWithParent {
            let parent = getppid()
            Task.detached {
                while getppid() == parent { try? await Task.sleep(for: .seconds(1)) }
                Foundation.exit(0)
            }
        }
        let logger = Logger(label: "kiosk-pinpad")
        let refusals = RefusalBox()
        let device = PinpadDeviceLink(host: deviceHost, port: devicePort, logger: logger) { await refusals.report($0) }
        let terminal = PinpadTerminal(terminalID: terminalId, device: device, logger: logger)
        refusals.terminal = terminal
        await terminal.set(PinpadSettings(next: PinpadBehaviour(rawValue: behaviour) ?? .approve))
        let ports = Ports()
        let (host, channelPort, adminPort) = (host, port, adminPort)
        let admin = PinpadServer.admin(host: "127.0.0.1", port: adminPort, terminal: terminal, logger: logger) {
            ports.set(admin: $0, host: host)
        }
        let channel0 = Channel0Service(host: host, port: channelPort, terminal: terminal, logger: logger) {
            ports.set(channel0: $0, host: host)
        }
        let group = ServiceGroup(
            configuration: .init(services: [admin, channel0], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Channel 0 as a service of the group.
struct Channel0Service: Service {
    let host: String
    let port: Int
    let terminal: PinpadTerminal
    let logger: Logger
    let onListening: @Sendable (Int) -> Void

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await PinpadServer.channel0(
                    host: host, port: port, terminal: terminal, logger: logger, onListening: onListening)
            }
        } catch is CancellationError {
            // A graceful shutdown.
        }
    }
}

/// Prints the listening line once both ports are known.
final class Ports: @unchecked Sendable {
    private let lock = NSLock()
    private var channel0: Int?
    private var admin: Int?

    func set(channel0: Int? = nil, admin: Int? = nil, host: String) {
        lock.lock()
        defer { lock.unlock() }
        if let channel0 { self.channel0 = channel0 }
        if let admin { self.admin = admin }
        if let c = self.channel0, let a = self.admin {
            FileHandle.standardOutput.write(Data("kiosk-pinpad listening on \(host):\(c), admin http://127.0.0.1:\(a)\n".utf8))
        }
    }
}

/// Channel 1's refusals go into the terminal's list, which exists after the link.
final class RefusalBox: @unchecked Sendable {
    var terminal: PinpadTerminal?
    func report(_ line: String) async { await terminal?.refuseFromLink(line) }
}
