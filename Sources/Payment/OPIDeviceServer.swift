import Foundation
import Logging
import NIOCore
import NIOPosix
import OPI

/// Channel 1: the terminal connects to the kiosk with its DeviceRequests (show a text to the customer, print a receipt),
/// each for a request under way on channel 0, and the kiosk answers with a DeviceResponse.
///
/// Only the terminal's own address may connect, two connections at most; a request for no request under way, for another
/// workstation, or that cannot be read is answered (or, unreadable, the connection closed) and logged, one line each.
actor OPIDeviceServer {
    struct Settings: Sendable {
        var host: String
        var port: Int
        /// The terminal's address; connections from anywhere else are closed at once.
        var terminalHost: String
        var workstation: String
        var maximumFrame: Int
    }

    /// What the kiosk does with a request's outputs.
    struct Listener: Sendable {
        var prompt: @Sendable ([String]) -> Void
    }

    static let receiptLines = 60
    static let lineLength = 60

    let settings: Settings
    let logger: Logger
    private var listeners: [String: Listener] = [:]
    private var receipts: [String: [String]] = [:]
    /// Open connections, oldest first: a terminal that reconnects after a half-open one is let in, and the oldest goes.
    private var connections: [(id: Int, channel: any Channel)] = []
    private var connectionCounter = 0
    private(set) var boundPort: Int?

    init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    /// Outputs for `requestID` go to `listener` until ``finish(_:)``.
    func expect(_ requestID: String, _ listener: Listener) {
        listeners[requestID] = listener
        receipts[requestID] = []
    }

    /// Stops listening for `requestID`; returns the receipt its outputs printed.
    func finish(_ requestID: String) -> [String] {
        listeners[requestID] = nil
        return receipts.removeValue(forKey: requestID) ?? []
    }

    /// Binds and serves until cancelled. - throws: when the address cannot be bound.
    func run() async throws {
        let maximum = settings.maximumFrame
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: settings.host, port: settings.port) { OPIPipeline.configure($0, maximum: maximum) }
        boundPort = server.channel.localAddress?.port
        logger.info("payment terminal, channel 1: listening on \(settings.host):\(boundPort ?? settings.port)")
        try await withTaskCancellationHandler {
            try await server.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        group.addTask { await self.serve(connection) }
                    }
                }
            }
        } onCancel: {
            server.channel.close(promise: nil)
        }
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let peer = connection.channel.remoteAddress?.ipAddress ?? "?"
        guard Self.sameHost(peer, settings.terminalHost) else {
            logger.error("payment terminal, channel 1: refused a connection from \(peer), which is not the terminal")
            try? await connection.channel.close()
            return
        }
        connectionCounter += 1
        let id = connectionCounter
        connections.append((id, connection.channel))
        if connections.count > 2 { connections.removeFirst().channel.close(promise: nil) }
        defer { connections.removeAll { $0.id == id } }
        do {
            try await connection.executeThenClose { inbound, outbound in
                for try await frame in inbound {
                    guard let reply = self.handle(Data(frame.readableBytesView)) else { return }
                    try await outbound.write(ByteBuffer(bytes: reply.xml()))
                }
            }
        } catch {
            logger.error("payment terminal, channel 1: connection closed (\(OPIChannel0.short(error)))")
        }
    }

    /// The answer to one frame, or nil to close the connection (a frame that cannot even be read).
    private func handle(_ data: Data) -> OPIMessage? {
        let request: OPIMessage
        do {
            request = try OPIMessage.parse(data)
        } catch {
            logger.error("payment terminal, channel 1: refused a message: \(error)")
            return nil
        }
        func reply(_ result: String, outputs: [OPIElement] = []) -> OPIMessage {
            OPIMessage(
                .deviceResponse,
                [
                    "RequestType": request.requestType, "RequestID": request.requestID,
                    "WorkstationID": settings.workstation, "OverallResult": result,
                ], children: outputs)
        }
        guard request.kind == .deviceRequest else {
            logger.error("payment terminal, channel 1: a \(request.kind.rawValue), where only DeviceRequests belong")
            return reply("FormatError")
        }
        guard request.workstationID == settings.workstation else {
            logger.error("payment terminal, channel 1: a DeviceRequest for another workstation; refused")
            return reply("ValidationError")
        }
        guard let listener = listeners[request.requestID] else {
            logger.error(
                "payment terminal, channel 1: a DeviceRequest for RequestID '\(OPIText.scrub(request.requestID, limit: 32))', which is not under way; refused"
            )
            return reply("ValidationError")
        }
        guard request.requestType == "Output" else {
            logger.error(
                "payment terminal, channel 1: DeviceRequest type '\(OPIText.scrub(request.requestType, limit: 32))' is not supported"
            )
            return reply("DeviceUnavailable")
        }
        var results: [OPIElement] = []
        for output in request.root.children("Output") {
            let target = output["OutDeviceTarget"] ?? ""
            let lines = output.children("TextLine")
                .sorted { Int($0["Row"] ?? "") ?? 0 < Int($1["Row"] ?? "") ?? 0 }
                .map { Self.clean($0.text) }
            switch target {
            case "CustomerDisplay", "CashierDisplay":
                listener.prompt(lines.filter { !$0.isEmpty })
            case "PrinterReceipt", "Printer":
                // The customer's copy is the resident's; a merchant copy (Printer) only when there is no other.
                if target == "PrinterReceipt" || receipts[request.requestID]?.isEmpty != false {
                    receipts[request.requestID] = Array(lines.prefix(Self.receiptLines))
                }
            default:
                logger.error("payment terminal, channel 1: output to '\(OPIText.scrub(target, limit: 32))' is not supported")
                results.append(OPIElement("Output", ["OutDeviceTarget": target, "OutResult": "DeviceUnavailable"]))
                continue
            }
            results.append(OPIElement("Output", ["OutDeviceTarget": target, "OutResult": "Success"]))
        }
        return reply(results.isEmpty ? "FormatError" : "Success", outputs: results)
    }

    /// A line as a screen or ticket can take it: printable, no control characters, not too long.
    static func clean(_ text: String) -> String {
        String(
            String(
                text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && !(0x80..<0xA0).contains($0.value) }
                    .map(Character.init)
            ).prefix(lineLength)
        ).trimmingCharacters(in: .whitespaces)
    }

    static func sameHost(_ peer: String, _ terminal: String) -> Bool {
        let loopback = ["127.0.0.1", "::1", "localhost", "::ffff:127.0.0.1"]
        if loopback.contains(terminal) { return loopback.contains(peer) }
        return peer == terminal || peer == "::ffff:" + terminal
    }
}
