public import Central
public import Foundation
import Framebuffer
public import KioskControl
public import KioskCore
public import KioskDevices
import KioskDrawing
public import Logging

/// The imperative shell around the ``FlowRunner``: it owns the state, executes effects, and turns device news and answers
/// back into events.
///
/// Everything that happens to the kiosk passes through ``send(_:)`` one event at a time (the actor serialises them), so the
/// runner never sees two events at once. Slow work (a chip read, a central call, a print) runs in its own task and comes back
/// as an event; the screen never blocks on it.
public actor KioskEngine {
    public let runner: FlowRunner
    public let devices: DeviceSet
    let gateway: CentralGateway
    /// Payments, when the kiosk has a payment terminal.
    let payments: PaymentDesk?
    let identity: (id: String, location: String, front: String)
    private(set) var state: KioskState
    private var timer: Task<Void, Never>?
    private var watchers: [Task<Void, Never>] = []
    private var observers: [@Sendable (Screen) -> Void] = []
    private var focusObservers: [@Sendable (Screen, Focus) -> Void] = []
    /// How speech output is doing (the speech service's counts), for the status.
    private var speechReport: (@Sendable (SpeechMode) -> SpeechReport)?
    private var lastScreen: Screen?
    /// Documents the central produced for the current session (the extract PDF), by id; emptied when the session ends.
    private var documents: [String: ProducedDocument] = [:]
    private let logger: Logger
    /// Flow starts, ends and frame times, for `/metrics`.
    let metrics: KioskMetrics
    /// Where residents go and give up (`kioskctl flows funnel`), if the daemon keeps it.
    let funnel: FunnelStore?
    private var tally = FunnelTally()

    init(
        runner: FlowRunner, devices: DeviceSet, gateway: CentralGateway, payments: PaymentDesk? = nil, language: Language,
        kioskID: String, location: String, front: String, metrics: KioskMetrics = KioskMetrics(), funnel: FunnelStore? = nil,
        logger: Logger
    ) {
        self.payments = payments
        self.funnel = funnel
        self.metrics = metrics
        self.runner = runner
        self.devices = devices
        self.gateway = gateway
        self.logger = logger
        identity = (kioskID, location, front)
        state = KioskState(language: language)
    }

    /// Reads each device's status and starts following its events. Until then every device counts as missing.
    public func start() async {
        let faults = gateway.faults
        for device in devices.all {
            let status = await device.status()
            handle(.deviceStatus(device.deviceClass, status))
            let (deviceClass, id) = (device.deviceClass, device.profile.id)
            await faults.device(id, deviceClass, status: status)
            let events = device.events
            let payments = deviceClass == .paymentTerminal ? payments : nil
            watchers.append(
                Task { [weak self] in
                    for await event in events {
                        await self?.deviceEvent(deviceClass, event)
                        // In order, per device: the fault follows the status it belongs to.
                        if case .status(let status) = event { await faults.device(id, deviceClass, status: status) }
                        // A terminal that is back can say what became of the payments a crash or an outage left open.
                        if case .status(let status) = event, status.state == .online { await payments?.settleJournal() }
                    }
                })
            if let display = device as? any Display {
                let metrics = metrics
                observers.append { screen in
                    let start = ContinuousClock.now
                    display.show(screen)
                    metrics.rendered(ContinuousClock.now - start)
                }
            }
        }
        lastScreen = nil
        publish()
        if let payments, await devices.paymentTerminal?.status().state == .online {
            Task { await payments.settleJournal() }
        }
    }

    /// Hears every new screen, and every move of a keypad's focus (the narrator). Before ``start()``.
    public func observe(
        screens: @escaping @Sendable (Screen) -> Void, focus: @escaping @Sendable (Screen, Focus) -> Void
    ) {
        observers.append(screens)
        focusObservers.append(focus)
    }

    func reportSpeech(_ report: @escaping @Sendable (SpeechMode) -> SpeechReport) { speechReport = report }

    public func stop() {
        timer?.cancel()
        for watcher in watchers { watcher.cancel() }
        watchers = []
    }

    public func send(_ event: KioskEvent) {
        handle(event)
        publish()
    }

    public var screen: Screen { runner.screen(for: state) }

    /// Nobody is using the kiosk: the start screen, no session.
    public var isIdle: Bool { state.place == .home && state.session.isEmpty }

    /// No resident flow can be served now.
    public var isOutOfOrder: Bool { runner.isOutOfOrder(state) }

    /// Takes a device out of service or puts it back; false when the kiosk has no device with that id.
    func setService(_ id: String, inService: Bool) -> Bool {
        guard let device = devices.all.first(where: { $0.profile.id == id }) else { return false }
        send(.deviceService(device.deviceClass, inService: inService))
        return true
    }

    // MARK: - Events and effects

    private func handle(_ event: KioskEvent) {
        let before = state.place
        let effects = runner.handle(&state, event)
        if state.place != before { logger.info("screen \(Self.placeName(state.place))") }
        count(from: before, effects)
        let marks = tally.observe(event, before: before, after: state.place, effects: effects)
        if let funnel, !marks.isEmpty {
            let day = CalendarDate.today().iso
            Task { [logger] in
                do { try await funnel.add(marks, day: day) } catch { logger.warning("the funnel's counts: \(error)") }
            }
        }
        for effect in effects { execute(effect) }
    }

    /// Flow starts and ends for `/metrics`: ids only.
    private func count(from before: KioskState.Place, _ effects: [Effect]) {
        if case .step(let flow, let step) = before {
            for case .sessionEnded(let end) in effects { metrics.flowEnded(flow, step: step, end) }
        }
        if case .step(let flow, _) = state.place {
            if case .step(let old, _) = before, old == flow { return }
            metrics.flowStarted(flow)
        }
    }

    private func deviceEvent(_ deviceClass: DeviceClass, _ event: DeviceEvent) {
        switch event {
        case .status(let status):
            logger.info("\(deviceClass.rawValue) \(status.summary)")
            send(.deviceStatus(deviceClass, status))
        case .cardInserted: send(.cardInserted)
        case .cardRemoved: send(.cardRemoved)
        case .scanned(let text): send(.scanned(text))
        case .resident(let event): send(event)
        case .focus(let focus):
            let screen = runner.screen(for: state)
            for observer in focusObservers { observer(screen, focus) }
        }
    }

    private func execute(_ effect: Effect) {
        switch effect {
        case .startTimer(let token, let seconds):
            timer?.cancel()
            timer = Task { [weak self] in
                try? await Task.sleep(for: .seconds(seconds))
                guard !Task.isCancelled else { return }
                await self?.send(.timer(token))
            }
        case .cancelTimer:
            timer?.cancel()
            timer = nil
        case .readCard(let request, let key):
            guard let reader = devices.cardReader else {
                handle(.cardRead(request: request, .unreadable, today: .today()))
                return
            }
            let faults = gateway.faults
            Task { [weak self] in
                let result = await reader.readIdentity(with: key)
                if case .identity(_, let evidence) = result, case .valid = evidence.passive, evidence.antiClone == .failed {
                    await faults.raise(.cloneSuspected(reader.profile.id))
                }
                await self?.answer(.cardRead(request: request, result, today: .today()), "card read")
            }
        case .callService(let request, let call):
            let gateway = gateway
            Task { [weak self] in
                let outcome = await gateway.perform(call)
                await self?.received(outcome, request: request)
            }
        case .pay(let request, let order):
            pay(request, order)
        case .abortPayment:
            guard let payments else { return }
            Task { await payments.abort() }
        case .print(let request, let job):
            var document: Data?
            if let id = job.documentID {
                document = documents[id]?.pdf
                if document == nil { logger.error("print \(job.document.rawValue): the session holds no document to print") }
            }
            guard let printer = devices.printer, document != nil || job.documentID == nil else {
                handle(.printed(request: request, .failed))
                return
            }
            let what = document.map { "PDF, \($0.count) bytes" } ?? "\(job.lines.count) lines"
            let faults = gateway.faults
            let reference = state.session.results["reference"]
            let logger = logger
            Task { [weak self] in
                let result = await Self.print(job, document: document, on: printer, logger: logger)
                let failed = Fault.printFailed(printer.profile.id)
                switch result {
                case .printed: await faults.resolve(failed)
                // A printer in a blocking state (jam, queue stopped) has its own fault, which says why and what to do.
                case .failed where await printer.status().isBlocking: break
                case .failed: await faults.raise(failed)
                case .unknown: await faults.raise(.printUnconfirmed(printer.profile.id, reference: reference))
                }
                await self?.answer(.printed(request: request, result), "print \(job.document.rawValue) (\(what)) → \(result)")
            }
        case .sessionEnded(let reason):
            // The extract holds personal data; it goes with the session.
            documents = [:]
            logger.info("session ended: \(reason.rawValue)")
        }
    }

    /// Prints a job and the payment terminal's receipt with it: on the same ticket, or after a ready-made extract on one of
    /// its own (whose failure is logged; the resident has the extract, and the terminal keeps its own copy).
    static func print(_ job: PrintJob, document: Data?, on printer: any Printer, logger: Logger) async -> PrintResult {
        var job = job
        guard !job.paymentReceipt.isEmpty else { return await printer.print(job, document: document) }
        guard document != nil else {
            job.lines += [""] + job.paymentReceipt
            return await printer.print(job, document: nil)
        }
        let result = await printer.print(job, document: document)
        guard result == .printed else { return result }
        let receipt = PrintJob(
            document: .receipt, title: "Betaalbewijs / Payment receipt", lines: job.paymentReceipt, code: job.code)
        let printed = await printer.print(receipt, document: nil)
        if printed != .printed { logger.warning("the payment receipt after the extract did not print (\(printed))") }
        return result
    }

    private func pay(_ request: Int, _ order: PaymentOrder) {
        guard let payments else {
            logger.error("a flow asked for a payment, and this kiosk has no payment terminal")
            handle(.paid(request: request, .failed(.terminalUnavailable)))
            return
        }
        Task { [weak self] in
            let engine = self
            let result = await payments.pay(order) { lines in
                Task { await engine?.send(.paymentPrompt(request: request, lines)) }
            }
            await self?.answer(.paid(request: request, result), "payment → \(Self.summary(result))")
        }
    }

    /// For the log: the outcome only, never the card.
    static func summary(_ result: PaymentResult) -> String {
        switch result {
        case .approved(let record, _): "approved (\(record.reference))"
        case .declined: "declined"
        case .cancelled: "cancelled"
        case .failed(let why): "failed (\(why.rawValue))"
        case .unknown(let reference): "unknown (\(reference))"
        }
    }

    private func received(_ outcome: CentralGateway.Outcome, request: Int) {
        if let reachable = outcome.reachable { handle(.centralReachable(reachable)) }
        // Kept only while the request is still the one the flow waits for; a session that ended meanwhile gets nothing.
        if let document = outcome.document, state.phase == .waiting(request: request) { documents[document.id] = document }
        send(.serviceResult(request: request, outcome.result))
    }

    private func answer(_ event: KioskEvent, _ summary: String) {
        logger.info("\(summary)")
        send(event)
    }

    private func publish() {
        let screen = runner.screen(for: state)
        guard screen != lastScreen else { return }
        lastScreen = screen
        for observer in observers { observer(screen) }
    }

    // MARK: - Technician's checks

    /// The resident's screen as PNG: the framebuffer front's own frame, or, with another front, the screen drawn as the
    /// framebuffer front would draw it (portrait 1080×1920).
    public func screenshot() throws -> Data {
        if let front = devices.all.lazy.compactMap({ $0 as? FramebufferFront }).first { return try front.screenshot() }
        let screen = screen
        return try Raster.render(width: 1080, height: 1920) { ScreenRenderer().draw(screen, on: $0) }.png()
    }

    /// A UnifiedPOS-style external health check: a ticket that says what it is, printed now, outside any session.
    public func printTestTicket() async -> PrintResult {
        guard let printer = devices.printer else { return .failed }
        let job = PrintJob(
            document: .receipt, title: "Testbon / Test ticket",
            lines: ["Printer \(printer.profile.id)", "Kiosk \(identity.id)", "Deze bon is een test. / This ticket is a test."],
            code: "TEST-\(identity.id)")
        let result = await printer.print(job, document: nil)
        logger.info("printer test ticket → \(result)")
        return result
    }

    public func printerReport() async -> PrinterReport? {
        guard let printer = devices.printer else { return nil }
        return PrinterReport(
            device: StatusReport.DeviceReport(
                id: printer.profile.id, deviceClass: .printer, driver: printer.profile.driver, status: await printer.status(),
                capabilities: printer.capabilities, counters: printer.counters),
            recentJobs: printer.recentJobs)
    }

    // MARK: - Reports

    /// Flow and step ids only: never what the resident typed or who they are.
    static func placeName(_ place: KioskState.Place) -> String {
        switch place {
        case .home: "home"
        case .step(let flow, let step): "\(flow)/\(step)"
        }
    }

    #if KIOSK_TEST_HOOKS
        /// Blocks the engine's executor for good: only the VM bench's build has it, to prove the watchdog.
        func wedge() {
            while true { sleep(3600) }
        }
    #endif

    public func status() async -> StatusReport {
        var reports: [StatusReport.DeviceReport] = []
        for device in devices.all {
            reports.append(
                StatusReport.DeviceReport(
                    id: device.profile.id, deviceClass: device.deviceClass, driver: device.profile.driver,
                    status: await device.status(), capabilities: device.capabilities, counters: device.counters))
        }
        let available = Set(runner.availableFlows(state).map(\.id))
        var flow: String?
        var step: String?
        if case .step(let f, let s) = state.place {
            flow = f
            step = s
        }
        var report = StatusReport(
            kioskID: identity.id, location: identity.location, front: identity.front, language: state.language, flow: flow,
            step: step, phase: state.phase.name,
            centralOnline: state.centralOnline, outOfOrder: runner.isOutOfOrder(state), devices: reports,
            flows: runner.flows.map { StatusReport.FlowReport(id: $0.id, available: available.contains($0.id)) },
            faults: await gateway.faults.openRecords, outOfService: Array(await gateway.faults.outOfService).sorted())
        report.speech = speechReport?(state.speech)
        return report
    }
}
