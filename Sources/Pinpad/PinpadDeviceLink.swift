package import Foundation
package import Logging
import NIOCore
import NIOPosix
package import OPI

/// kiosk-pinpad's side of channel 1: it connects to the kiosk and sends DeviceRequests, and checks each DeviceResponse as a
/// terminal would (the same RequestID and workstation, in OPI's namespace, every output answered `Success`).
package actor PinpadDeviceLink {
    let host: String
    let port: Int
    let logger: Logger
    let onRefusal: @Sendable (String) async -> Void
    private var writer: NIOAsyncChannelOutboundWriter<ByteBuffer>?
    private var channel: (any Channel)?
    private var generation = 0
    private var inbox: [ByteBuffer] = []
    private var waiting: CheckedContinuation<ByteBuffer?, Never>?

    package init(host: String, port: Int, logger: Logger, onRefusal: @escaping @Sendable (String) async -> Void) {
        self.host = host
        self.port = port
        self.logger = logger
        self.onRefusal = onRefusal
    }

    /// Sends one DeviceRequest and waits for its answer (5 s). A kiosk that cannot be reached does not stop the payment.
    func send(_ request: OPIMessage) async {
        for attempt in 0..<2 {
            if writer == nil { await connect() }
            guard let writer else { return }
            do {
                try await writer.write(ByteBuffer(bytes: request.xml()))
            } catch {
                channel?.close(promise: nil)
                ended(generation)
                if attempt == 0 { continue }
                logger.warning("channel 1: cannot send to the kiosk (\(error))")
                return
            }
            await check(await answer(), for: request)
            return
        }
    }

    private func answer() async -> ByteBuffer? {
        if !inbox.isEmpty { return inbox.removeFirst() }
        guard writer != nil else { return nil }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: .seconds(5))
            if !Task.isCancelled { await self?.closeAfterSilence() }
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { waiting = $0 }
    }

    private func deliver(_ frame: ByteBuffer, _ from: Int) {
        guard from == generation else { return }
        if let waiting {
            self.waiting = nil
            waiting.resume(returning: frame)
        } else {
            inbox.append(frame)
        }
    }

    private func ended(_ from: Int) {
        guard from == generation else { return }
        writer = nil
        channel = nil
        inbox = []
        waiting?.resume(returning: nil)
        waiting = nil
    }

    private func closeAfterSilence() {
        logger.warning("channel 1: the kiosk did not answer a device request in 5 s")
        channel?.close(promise: nil)
        ended(generation)
    }

    private func check(_ frame: ByteBuffer?, for request: OPIMessage) async {
        guard let frame else {
            await onRefusal("channel 1: no DeviceResponse to \(request.requestID)")
            return
        }
        let answer: OPIMessage
        do {
            answer = try OPIMessage.parse(Data(frame.readableBytesView))
        } catch {
            await onRefusal("channel 1: \(error)")
            return
        }
        var problems: [String] = []
        if answer.namespace != OPIMessage.namespace { problems.append("not in OPI's namespace") }
        if answer.kind != .deviceResponse { problems.append("a \(answer.kind.rawValue), not a DeviceResponse") }
        if answer.requestID != request.requestID {
            problems.append("RequestID \(answer.requestID.prefix(32)) for \(request.requestID)")
        }
        if answer.workstationID != request.workstationID { problems.append("another WorkstationID") }
        if answer.overallResult != "Success" { problems.append("OverallResult \(answer.overallResult ?? "?")") }
        let outputs = answer.root.children("Output")
        if outputs.count != request.root.children("Output").count || outputs.contains(where: { $0["OutResult"] != "Success" }) {
            problems.append("not every Output answered Success")
        }
        if !problems.isEmpty { await onRefusal("channel 1: DeviceResponse \(problems.joined(separator: "; "))") }
    }

    private func connect() async {
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(2))
                .connect(host: host, port: port) { OPIPipeline.configure($0, maximum: 64 * 1024) }
            generation += 1
            let current = generation
            let (ready, readyContinuation) = AsyncStream<NIOAsyncChannelOutboundWriter<ByteBuffer>>.makeStream()
            Task {
                try? await channel.executeThenClose { inbound, outbound in
                    readyContinuation.yield(outbound)
                    readyContinuation.finish()
                    for try await frame in inbound { await self.deliver(frame, current) }
                }
                readyContinuation.finish()
                await self.ended(current)
            }
            var iterator = ready.makeAsyncIterator()
            writer = await iterator.next()
            inbox = []
            self.channel = channel.channel
        } catch {
            logger.warning("channel 1: cannot connect to the kiosk at \(host):\(port) (\(error))")
        }
    }
}
