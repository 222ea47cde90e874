import ArgumentParser
import Foundation
import KioskControl

/// kioskctl: the technician's tool. Each verb parses, asks kioskd over the control socket, and prints; no logic lives here.
@main
struct Kioskctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kioskctl",
        abstract: "Look at and drive a running kioskd.",
        discussion:
            "Finds kioskd through --socket, then KIOSK_SOCKET, then .kiosk-demo/kioskd.sock, then /run/kioskd/kioskd.sock.",
        subcommands: [
            Status.self, Flows.self, Queue.self, PrinterCommand.self, SpeechCommand.self, PaymentCommand.self,
            CardReaderCommand.self,
            USB.self,
            Screenshot.self, Sim.self,
            Faults.self, Devices.self, DeviceCommand.self, Health.self, Logs.self, Diag.self, Press.self, TypeText.self,
        ] + testHooks)
}

/// Options every verb takes.
struct Common: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The control socket of kioskd.", valueName: "PATH"))
    var socket: String?

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    var client: ControlClient { ControlClient(socketPath: socket ?? ControlClient.defaultSocketPath()) }

    /// Prints a value as JSON, sorted, for scripts.
    func printJSON(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        if let data = try? encoder.encode(value) { print(String(decoding: data, as: UTF8.self)) }
    }

    /// One line on stderr (or a JSON reply with --json), and exit status 1 (or `status`).
    func fail(_ message: String, status: Int32 = 1) -> Never {
        if json {
            printJSON(ControlReply(ok: false, message: message))
        } else {
            FileHandle.standardError.write(Data("kioskctl: \(message)\n".utf8))
        }
        Foundation.exit(status)
    }

    /// A control-socket failure, with systemctl's exit statuses: 3 kioskd not running, 4 no such thing.
    func fail(_ error: ControlError) -> Never {
        fail(error.description, status: error.exitStatus)
    }

    /// Sends a command and prints its one-line answer.
    func send(_ path: String, _ body: some Encodable) async {
        do {
            let reply = try await client.send(path, body)
            if json { printJSON(reply) } else { print(reply.message) }
        } catch {
            fail(error)
        }
    }
}

#if KIOSK_TEST_HOOKS
    let testHooks: [any ParsableCommand.Type] = [DebugWedge.self]
#else
    let testHooks: [any ParsableCommand.Type] = []
#endif
