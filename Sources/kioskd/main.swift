import ArgumentParser
import Foundation
import KioskDaemon

/// kioskd: runs one self-service terminal. Parses arguments, loads the config, and hands over to ``Daemon``.
@main
struct Kioskd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kioskd",
        abstract: "Run the Stadswinkel self-service kiosk.",
        discussion: """
            Loads the kiosk config (YAML), checks the flows and device profiles it names, and serves residents on the chosen \
            front until SIGTERM or SIGINT. Technicians talk to it with kioskctl through the control socket.
            """)

    @Option(name: .long, help: ArgumentHelp("The kiosk config file.", valueName: "FILE"))
    var config = "/etc/kioskd/kioskd.yaml"

    @Option(name: .long, help: "The front to serve residents on: terminal, framebuffer or headless (overrides the config).")
    var front: String?

    @Option(name: .customLong("fb-file"), help: ArgumentHelp("Draw into this file instead of /dev/fb0.", valueName: "PATH"))
    var fbFile: String?

    func validate() throws {
        if let front, KioskConfig.Front(rawValue: front) == nil {
            throw ValidationError("--front must be terminal, framebuffer or headless, not '\(front)'")
        }
    }

    func run() async throws {
        // Every file kioskd makes (the outbox and its WAL, the key, the fault store) is the kiosk user's alone, and every
        // folder too, whatever umask it was started with; the control socket is opened to the group on purpose.
        umask(0o077)
        var settings: KioskConfig
        switch KioskConfig.load(path: config) {
        case .success(let loaded): settings = loaded
        case .failure(let error): fail(error)
        }
        if let front { settings.front = KioskConfig.Front(rawValue: front) ?? settings.front }
        if let fbFile { settings.framebuffer.path = fbFile }
        do {
            try await Daemon.run(settings)
        } catch let error as ConfigError {
            fail(error)
        } catch {
            fail(ConfigError(message: "\(error)"))
        }
    }

    func fail(_ error: ConfigError) -> Never {
        for line in error.lines { FileHandle.standardError.write(Data("kioskd: \(line)\n".utf8)) }
        Foundation.exit(1)
    }
}
