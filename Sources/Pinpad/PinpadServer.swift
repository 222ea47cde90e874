package import Foundation
package import Hummingbird
package import Logging
import NIOCore
import NIOPosix
package import OPI

/// kiosk-pinpad's listeners: channel 0 (the kiosk's requests) and the admin endpoint (`GET /state`, `PUT /behaviour`).
package enum PinpadServer {
    /// Serves channel 0 on `host:port` until cancelled; `onListening` gets the port it bound.
    package static func channel0(
        host: String, port: Int, terminal: PinpadTerminal, logger: Logger, onListening: @Sendable (Int) -> Void
    ) async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { OPIPipeline.configure($0, maximum: 64 * 1024) }
        onListening(server.channel.localAddress?.port ?? port)
        try await withTaskCancellationHandler {
            try await server.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        group.addTask { await serve(connection, terminal: terminal, logger: logger) }
                    }
                }
            }
        } onCancel: {
            server.channel.close(promise: nil)
        }
    }

    /// One kiosk connection: each message is handled on its own, so an abort can overtake the payment it stops.
    static func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, terminal: PinpadTerminal, logger: Logger) async {
        let peer = connection.channel.remoteAddress?.description ?? "?"
        logger.info("channel 0: the kiosk connected from \(peer)")
        let seen = Workstations()
        do {
            try await connection.executeThenClose { inbound, outbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await frame in inbound {
                        let data = Data(frame.readableBytesView)
                        if let message = try? OPIMessage.parse(data) { seen.add(message.workstationID) }
                        group.addTask {
                            switch await terminal.handle(data) {
                            case .message(let answer): try await outbound.write(ByteBuffer(bytes: answer.xml()))
                            case .raw(let bytes): try await outbound.write(ByteBuffer(bytes: bytes))
                            case .nothing: break
                            case .drop:
                                logger.info("channel 0: dropping the connection on purpose")
                                try? await connection.channel.close()
                            }
                        }
                    }
                    // The kiosk is gone (the payments of this connection may still be running): the terminal stops them now.
                    await terminal.connectionClosed(workstations: seen.all)
                }
            }
        } catch is CancellationError {
        } catch {
            logger.error("channel 0: connection closed (\(error))")
        }
        await terminal.connectionClosed(workstations: seen.all)
    }

    /// The workstations that spoke on one connection.
    final class Workstations: @unchecked Sendable {
        private let lock = NSLock()
        private var names: Set<String> = []
        func add(_ name: String) { lock.withLock { _ = names.insert(name) } }
        var all: Set<String> { lock.withLock { names } }
    }

    /// The admin endpoint, on loopback only.
    package static func admin(
        host: String, port: Int, terminal: PinpadTerminal, logger: Logger, onListening: @escaping @Sendable (Int) -> Void
    ) -> some ApplicationProtocol {
        let router = Router()
        router.get("state") { _, _ -> Response in
            let body = try JSONEncoder().encode(await terminal.snapshot())
            return Response(
                status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        router.put("behaviour") { request, context -> HTTPResponse.Status in
            let settings = try await request.decode(as: PinpadSettings.self, context: context)
            await terminal.set(settings)
            return .noContent
        }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "kiosk-pinpad"),
            onServerRunning: { onListening($0.localAddress?.port ?? port) }, logger: logger)
    }
}
