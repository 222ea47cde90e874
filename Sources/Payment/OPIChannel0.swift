import Foundation
import Logging
import NIOCore
import NIOPosix
import OPI

/// Channel 0: the kiosk's connection to the terminal, for its requests and the terminal's answers, matched by RequestID.
///
/// One connection, kept open; the first message on it is always a Login. When it drops, every request waiting on it gets
/// `connectionLost`, and the next request connects and logs in again.
actor OPIChannel0 {
    struct Endpoint: Sendable {
        var host: String
        var port: Int
        var maximumFrame: Int
        var connectTimeout: Duration
    }

    typealias Answer = Result<OPIMessage, OPILinkFailure>

    let endpoint: Endpoint
    let logger: Logger
    /// Builds the Login for a fresh connection, and is told whether the terminal is usable.
    let login: @Sendable () -> OPIMessage
    let onState: @Sendable (_ up: Bool, _ why: String) -> Void

    private var writer: NIOAsyncChannelOutboundWriter<ByteBuffer>?
    private var channel: (any Channel)?
    private var generation = 0
    private var waiters: [String: CheckedContinuation<Answer, Never>] = [:]
    /// A RepeatLastMessage under way: the terminal answers it with the repeated response, under that response's RequestID.
    private var inquiry: String?
    private var connecting: Task<OPILinkFailure?, Never>?

    init(
        endpoint: Endpoint, logger: Logger, login: @escaping @Sendable () -> OPIMessage,
        onState: @escaping @Sendable (Bool, String) -> Void
    ) {
        self.endpoint = endpoint
        self.logger = logger
        self.login = login
        self.onState = onState
    }

    var isConnected: Bool { writer != nil }

    /// Sends `message` and waits for the answer with its RequestID, at most `timeout`.
    /// - parameter inquiry: the message is a RepeatLastMessage, whose answer may carry another RequestID.
    func request(_ message: OPIMessage, timeout: Duration, inquiry: Bool = false) async -> Answer {
        if let failure = await connect() { return .failure(failure) }
        return await send(message, timeout: timeout, inquiry: inquiry)
    }

    /// Connects and logs in, unless connected; nil when connected.
    func connect() async -> OPILinkFailure? {
        if writer != nil { return nil }
        if let connecting { return await connecting.value }
        let task = Task { await self.open() }
        connecting = task
        let failure = await task.value
        connecting = nil
        return failure
    }

    /// Drops the connection (a terminal that does not answer a probe): waiting requests get `connectionLost`.
    func drop(_ why: String) {
        guard writer != nil else { return }
        lost(generation, why)
    }

    // MARK: - Connection

    private func open() async -> OPILinkFailure? {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.init(endpoint.connectTimeout))
                .connect(host: endpoint.host, port: endpoint.port) { [maximum = endpoint.maximumFrame] in
                    OPIPipeline.configure($0, maximum: maximum)
                }
        } catch {
            let why = "cannot connect to \(endpoint.host):\(endpoint.port) (\(Self.short(error)))"
            onState(false, why)
            return .notConnected(why)
        }
        generation += 1
        let current = generation
        let (ready, readyContinuation) = AsyncStream<NIOAsyncChannelOutboundWriter<ByteBuffer>>.makeStream()
        Task {
            var why = "the terminal closed the connection"
            do {
                try await channel.executeThenClose { inbound, outbound in
                    readyContinuation.yield(outbound)
                    readyContinuation.finish()
                    for try await frame in inbound { await self.received(frame, current) }
                }
            } catch {
                why = (error as? OPIError)?.description ?? Self.short(error)
            }
            readyContinuation.finish()
            await self.lost(current, why)
        }
        var iterator = ready.makeAsyncIterator()
        guard let outbound = await iterator.next() else { return .notConnected("the connection closed at once") }
        writer = outbound
        self.channel = channel.channel
        switch await send(login(), timeout: .seconds(10), inquiry: false) {
        case .success(let answer) where answer.overallResult == "Success":
            onState(true, "logged in")
            return nil
        case .success(let answer):
            let why = "the terminal refused the login (\(answer.overallResult ?? "?"))"
            drop(why)
            onState(false, why)
            return .notConnected(why)
        case .failure(let failure):
            drop("login: \(failure)")
            onState(false, "login: \(failure)")
            return .notConnected("login: \(failure)")
        }
    }

    private func send(_ message: OPIMessage, timeout: Duration, inquiry: Bool) async -> Answer {
        guard let writer else { return .failure(.notConnected("not connected")) }
        let id = message.requestID
        guard waiters[id] == nil else { return .failure(.notConnected("RequestID \(id) is already waiting")) }
        if inquiry { self.inquiry = id }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            if !Task.isCancelled { self.answer(id, .failure(.timedOut)) }
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            waiters[id] = continuation
            Task {
                do {
                    try await writer.write(ByteBuffer(bytes: message.xml()))
                } catch {
                    self.answer(id, .failure(.connectionLost("write: \(Self.short(error))")))
                }
            }
        }
    }

    private func answer(_ id: String, _ answer: Answer) {
        if inquiry == id { inquiry = nil }
        waiters.removeValue(forKey: id)?.resume(returning: answer)
    }

    private func received(_ frame: ByteBuffer, _ from: Int) {
        guard from == generation else { return }
        let message: OPIMessage
        do {
            message = try OPIMessage.parse(Data(frame.readableBytesView))
        } catch {
            logger.error("payment terminal, channel 0: refused a message: \(error)")
            // The one request waiting can no longer trust its answer to come.
            if waiters.count == 1, let id = waiters.keys.first { answer(id, .failure(.unreadable(error))) }
            return
        }
        guard message.kind.isResponse, message.kind != .deviceResponse else {
            logger.error("payment terminal, channel 0: a \(message.kind.rawValue) where only answers belong; ignored")
            return
        }
        if waiters[message.requestID] != nil {
            answer(message.requestID, .success(message))
        } else if let inquiry, message.kind == .cardServiceResponse {
            answer(inquiry, .success(message))
        } else {
            logger.error(
                "payment terminal, channel 0: an answer for RequestID '\(OPIText.scrub(message.requestID, limit: 32))', which no request waits for; ignored"
            )
        }
    }

    private func lost(_ from: Int, _ why: String) {
        guard from == generation, writer != nil else { return }
        writer = nil
        channel?.close(promise: nil)
        channel = nil
        generation += 1
        logger.warning("payment terminal: connection lost (\(why))")
        onState(false, "connection lost (\(why))")
        for (id, continuation) in waiters {
            waiters[id] = nil
            continuation.resume(returning: .failure(.connectionLost(why)))
        }
        inquiry = nil
    }

    static func short(_ error: any Error) -> String {
        String(String(describing: error).prefix(160))
    }
}
