import Foundation
public import KioskCore
public import KioskDevices
public import Logging
import OPI
import Synchronization

/// The `opi` driver: a PIN terminal over IFSF's Open Payment Initiative (as CCV terminals speak it).
///
/// Channel 0 (``OPIChannel0``) carries the kiosk's requests to the terminal's port; channel 1 (``OPIDeviceServer``) takes
/// the terminal's device requests on the kiosk's. Profile options: `host` and `port` (the terminal), `deviceHost` and
/// `devicePort` (where the kiosk listens for channel 1), `popID`, `paymentSeconds` (the resident's time at the terminal),
/// `abortSeconds`, `answerSeconds` (service requests), `probeSeconds` (an idle Diagnosis; 0 for none), `maxFrameBytes`.
///
/// RequestIDs: a payment's is the journal's sequence number, so that after a crash the terminal's last transaction can be
/// told apart from ours (older or newer); its abort and reversal add `-A` and `-R`; service requests are `S1`, `S2`, ….
public final class OPITerminal: PaymentTerminal, Sendable {
    public let profile: DeviceProfile
    let workstation: String
    let popID: String
    let paymentTimeout: Duration
    let abortTimeout: Duration
    let answerTimeout: Duration
    let channel0: OPIChannel0
    let channel1: OPIDeviceServer
    let logger: Logger
    public let events: AsyncStream<DeviceEvent>
    private let continuation: AsyncStream<DeviceEvent>.Continuation
    let state = Mutex(Shared())
    private let background: Mutex<[Task<Void, Never>]> = Mutex([])

    struct Shared {
        var status = DeviceStatus(state: .offline, detail: "not connected yet")
        var serviceCounter = 0
        /// The payment under way, for an abort: its RequestID, and whether the kiosk aborted it because it took too long.
        var underway: String?
        var abortedForTime = false
        var counters = ["payments": 0, "approved": 0, "declined": 0, "cancelled": 0, "unknown": 0, "reversals": 0]
    }

    /// - throws: ``OPIConfigError`` for an option that is not a number or a port.
    public init(profile: DeviceProfile, workstation: String, logger: Logger) throws(OPIConfigError) {
        self.profile = profile
        self.workstation = workstation
        self.logger = logger
        popID = profile.options["popID"] ?? "001"
        func number(_ key: String, _ fallback: Int, _ range: ClosedRange<Int>) throws(OPIConfigError) -> Int {
            guard let text = profile.options[key] else { return fallback }
            guard let value = Int(text), range.contains(value) else {
                throw OPIConfigError(option: key, "'\(text)' must be a whole number in \(range)")
            }
            return value
        }
        let host = profile.options["host"] ?? "127.0.0.1"
        paymentTimeout = .seconds(try number("paymentSeconds", 120, 1...600))
        abortTimeout = .seconds(try number("abortSeconds", 10, 1...120))
        answerTimeout = .seconds(try number("answerSeconds", 15, 1...300))
        let maximum = try number("maxFrameBytes", 64 * 1024, 1024...(1 << 20))
        let probe = try number("probeSeconds", 30, 0...3600)
        (events, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(64))
        let statusSink = StatusSink()
        channel0 = OPIChannel0(
            endpoint: .init(
                host: host, port: try number("port", 4100, 1...65535), maximumFrame: maximum, connectTimeout: .seconds(3)),
            logger: logger, login: { statusSink.login() }, onState: { up, why in statusSink.changed(up, why) })
        channel1 = OPIDeviceServer(
            settings: .init(
                host: profile.options["deviceHost"] ?? "127.0.0.1", port: try number("devicePort", 4102, 0...65535),
                terminalHost: host, workstation: workstation, maximumFrame: maximum),
            logger: logger)
        statusSink.terminal = self
        start(probe: probe)
    }

    deinit {
        for task in background.withLock({ $0 }) { task.cancel() }
        continuation.finish()
    }

    public var capabilities: [String: String] {
        ["protocol": "IFSF OPI", "terminal": "\(profile.options["host"] ?? "127.0.0.1"):\(profile.options["port"] ?? "4100")"]
    }
    public var counters: [String: Int] { state.withLock { $0.counters } }
    public func status() async -> DeviceStatus { state.withLock { $0.status } }

    /// The port channel 1 listens on (tests give port 0 and ask).
    public func devicePort() async -> Int? { await channel1.boundPort }

    // MARK: - Background: channel 1, and keeping channel 0 up

    private func start(probe: Int) {
        let server = Task { [channel1, logger] in
            while !Task.isCancelled {
                do {
                    try await channel1.run()
                } catch {
                    if Task.isCancelled { return }
                    logger.error("payment terminal, channel 1: cannot listen (\(OPIChannel0.short(error))); again in 5 s")
                }
                try? await Task.sleep(for: .seconds(5))
            }
        }
        let keeper = Task { [weak self] in
            var wait = Duration.seconds(1)
            while !Task.isCancelled {
                guard let self else { return }
                if await self.channel0.isConnected {
                    wait = .seconds(1)
                    if probe > 0, self.state.withLock({ $0.underway == nil }) { await self.probe() }
                    try? await Task.sleep(for: .seconds(max(probe, 5)))
                } else {
                    if await self.channel0.connect() == nil { wait = .seconds(1) } else { wait = min(wait * 2, .seconds(30)) }
                    try? await Task.sleep(for: wait)
                }
            }
        }
        background.withLock { $0 = [server, keeper] }
    }

    /// Asks an idle terminal whether it is there; one that does not answer is taken as gone.
    private func probe() async {
        let message = serviceRequest("Diagnosis")
        if case .failure(let failure) = await channel0.request(message, timeout: answerTimeout), failure == .timedOut {
            await channel0.drop("no answer to a Diagnosis")
        }
    }

    func changed(up: Bool, _ why: String) {
        let status = up ? DeviceStatus(state: .online) : DeviceStatus(state: .offline, detail: "onbereikbaar: \(why)")
        let changed = state.withLock { shared in
            defer { shared.status = status }
            return shared.status.state != status.state
        }
        if changed { continuation.yield(.status(status)) }
    }

    // MARK: - Messages

    private func stamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
        formatter.timeZone = .current
        return formatter.string(from: Date())
    }

    func serviceRequest(_ type: String, children: [OPIElement] = []) -> OPIMessage {
        let id = state.withLock { shared in
            shared.serviceCounter += 1
            return "S\(shared.serviceCounter)"
        }
        return OPIMessage(
            .serviceRequest,
            [
                "RequestType": type, "RequestID": id, "WorkstationID": workstation, "POPID": popID,
                "ApplicationSender": "kioskd",
            ], children: [OPIElement("POSdata", children: [OPIElement("POSTimeStamp", text: stamp())])] + children)
    }

    func cardRequest(_ type: String, id: String, amountCents: Int?, children: [OPIElement] = []) -> OPIMessage {
        var body = [OPIElement("POSdata", children: [OPIElement("POSTimeStamp", text: stamp())])]
        if let amountCents {
            body.append(OPIElement("TotalAmount", ["Currency": "EUR"], text: OPIMessage.amount(amountCents)))
        }
        return OPIMessage(
            .cardServiceRequest,
            [
                "RequestType": type, "RequestID": id, "WorkstationID": workstation, "POPID": popID,
                "ApplicationSender": "kioskd",
            ], children: body + children)
    }

    func count(_ key: String) { state.withLock { $0.counters[key, default: 0] += 1 } }
}

/// Hands channel 0's news to the terminal, which exists only after channel 0 is made.
final class StatusSink: Sendable {
    private struct Weak: @unchecked Sendable { weak var value: OPITerminal? }
    private let box = Mutex(Weak())
    var terminal: OPITerminal? {
        get { box.withLock { $0.value } }
        set { box.withLock { $0.value = newValue } }
    }

    func login() -> OPIMessage {
        terminal?.serviceRequest("Login") ?? OPIMessage(.serviceRequest, ["RequestType": "Login"])
    }

    func changed(_ up: Bool, _ why: String) { terminal?.changed(up: up, why) }
}
