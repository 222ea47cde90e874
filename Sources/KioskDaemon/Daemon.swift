import Alerting
import Central
import Foundation
import Framebuffer
import KioskControl
public import KioskCore
import KioskDevices
import KioskDrawing
import Logging
import MRTD
import Outbox
import Payment
import ServiceLifecycle
import TerminalFront
import UnixSignals

/// Wires a kiosk from its config and runs it until SIGTERM or SIGINT: flows, devices, central, engine, front, control socket.
///
/// Everything that can be wrong with the set-up (flows, profiles, socket, a second instance) is found before anything starts,
/// and reported as ``ConfigError`` lines.
public enum Daemon {
    public static func run(_ config: KioskConfig) async throws {
        let runner = try loadFlows(config)
        let sinks = try loadSinks(config)
        try prepareStateDirectory(config.stateDirectory)
        let lock = try InstanceLock(socketPath: config.controlSocket)
        let logs = LogRing()
        let logger = try makeLogger(config, ring: logs)
        let trust = try DocumentTrust.load(config.documents)
        // After the lock: a second kioskd must not start watching (or claiming) the first one's devices.
        var devices = try loadDevices(config, trust: trust?.store, logger: logger)
        var terminal: TerminalFront?
        if config.front == .terminal {
            let front = TerminalFront(onQuit: { kill(getpid(), SIGINT) })
            do {
                try front.start()
            } catch {
                throw ConfigError(message: "\(error)")
            }
            terminal = front
            devices = DeviceSet(devices: devices.all + [front])
        }
        defer { terminal?.stop() }
        var screen: FramebufferFront?
        if config.front == .framebuffer {
            let front = try makeFramebufferFront(config, logger: logger)
            devices = DeviceSet(devices: devices.all + [front])
            screen = front
        }
        defer { screen?.stop() }
        logger.info(
            "kioskd \(config.kioskID) starting: \(runner.flows.count) flows, \(devices.all.count) devices, front \(config.front.rawValue)"
        )
        if let trust {
            logger.info("documents: \(trust.store.count) trusted CSCAs")
        } else {
            logger.warning("documents: no CSCAs configured; chip reads cannot check passive authentication")
        }
        for line in config.plainHTTP {
            logger.warning(
                "allowPlainHTTP: \(line) is plain http to another machine; what it carries crosses the network in clear")
        }

        let (central, inProcess) = try makeCentral(config, catalogue: ProductCatalogue(flows: runner.flows))
        let outbox: Outbox
        let key = OutboxKey.locate(stateDirectory: config.stateDirectory)
        if !key.handedIn {
            logger.warning(
                "the outbox key lies beside the outbox in \(config.stateDirectory); hand it in as a systemd credential (LoadCredential=outbox.key:…, see the README)"
            )
        }
        do {
            outbox = try Outbox(
                path: config.stateDirectory + "/outbox.sqlite", keyPath: key.path, makeKey: !key.handedIn)
        } catch {
            throw ConfigError(message: error.description)
        }
        if let aside = outbox.movedAside { logger.critical("the outbox file was corrupt; it was moved aside to \(aside)") }
        let policy = RetryPolicy(base: .seconds(1), cap: .seconds(config.retryCapSeconds))
        let faults = try await makeFaults(config, outbox: outbox, logger: logger)
        let metrics = KioskMetrics()
        let payments = devices.paymentTerminal.map {
            PaymentDesk(
                terminal: $0, journal: PaymentJournal(outbox: outbox), faults: faults,
                queueDelay: .milliseconds(config.fastPathMillis) + .seconds(5), logger: logger)
        }
        var gateway = CentralGateway(
            central: central, outbox: outbox, fastPath: .milliseconds(config.fastPathMillis), policy: policy, faults: faults,
            metrics: metrics, logger: logger)
        if let payments { gateway.reverse = { reference, why in await payments.reverse(reference: reference, why: why) } }
        let engine = KioskEngine(
            runner: runner, devices: devices, gateway: gateway, payments: payments, language: config.language,
            kioskID: config.kioskID, location: config.location, front: config.front.rawValue, metrics: metrics,
            funnel: makeFunnel(config, logger: logger), logger: logger)
        let router = DeliveryRouter(
            central: central, sinks: sinks,
            origin: AlertOrigin(kioskID: config.kioskID, location: config.location), logger: logger)
        let drainer = Drainer(outbox: outbox, central: router, policy: policy, logger: logger) { event in
            let reachable: Bool
            let entry: Outbox.Entry
            switch event {
            case .delivered(let e, _): (reachable, entry) = (true, e)
            case .retrying(let e, _, _): (reachable, entry) = (false, e)
            case .dead(let e, _): (reachable, entry) = (true, e)
            }
            // An alert sink's outage says nothing about the central.
            if case .deliverAlert = entry.request { return }
            Task {
                await engine.send(.centralReachable(reachable))
                await faults.central(reachable: reachable)
                if case .delivered(_, let result) = event, result.outcome == .rejected, entry.request.payment != nil {
                    await payments?.reverse(reference: entry.delivery.reference, why: "rejected by the central")
                }
                if case .dead(_, let reason) = event {
                    await faults.raise(.deadLetter)
                    // A paid request refused for good: the money goes back, and staff tell the resident.
                    if entry.request.payment != nil {
                        await payments?.reverse(reference: entry.delivery.reference, why: "refused by the central: \(reason)")
                    }
                }
            }
        }
        let usb = USBWatch(profiles: try loadProfiles(config), faults: faults, logger: logger)
        let settings = config.alerts
        let monitor = HealthMonitor(
            faults: faults, outbox: outbox, devices: devices, engine: engine, stateDirectory: config.stateDirectory,
            trust: trust,
            thresholds: .init(
                backlogEntries: settings.backlogEntries, oldestEntryMinutes: settings.oldestEntryMinutes,
                minFreeMegabytes: settings.minFreeMegabytes,
                noTouchHours: settings.noTouchHours == 0 ? nil : settings.noTouchHours
            ))
        for device in await faults.outOfService { _ = await engine.setService(device, inService: false) }
        let speech = await SpeechService.make(config.speech, engine: engine, logger: logger)
        let control = ControlServer.application(
            engine: engine, outbox: outbox, central: inProcess, usb: usb, faults: faults, monitor: monitor, speech: speech,
            logs: logs, config: config, socketPath: config.controlSocket, logger: logger)
        var services: [any Service] = [
            EngineService(engine: engine), control, drainer, speech,
            PurgeService(
                outbox: outbox, faults: faults, retention: .seconds(config.retentionDays * 86_400), logger: logger),
            USBService(watch: usb, descriptors: settings.usbDescriptors, logger: logger),
            SystemdNotifier(engine: engine, faults: faults, socketPath: config.controlSocket, logger: logger),
            HealthService(
                monitor: monitor, interval: .seconds(min(settings.checkSeconds, max(1, config.unreachableFaultSeconds / 2)))),
        ]
        if let (host, port) = settings.metricsListen {
            services.append(
                MetricsServer.application(
                    host: host, port: port, metrics: metrics,
                    refresh: { await refreshMetrics(metrics, engine: engine, faults: faults, outbox: outbox) }, logger: logger))
        }
        // With the terminal front, a hang-up means the terminal is gone: nobody can use the kiosk, so stop cleanly.
        let signals: [UnixSignal] = config.front == .terminal ? [.sigterm, .sigint, .sighup] : [.sigterm, .sigint]
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: signals, logger: logger))
        try await group.run()
        logger.info("kioskd \(config.kioskID) stopped")
        withExtendedLifetime(lock) {}
    }

    /// The framebuffer front, with its touch panel if the config names one. A framebuffer that cannot be used is one line and
    /// kioskd does not start: a kiosk without its screen is of no use to residents.
    static func makeFramebufferFront(_ config: KioskConfig, logger: Logger) throws(ConfigError) -> FramebufferFront {
        let settings = config.framebuffer
        let framebuffer: Framebuffer
        do {
            framebuffer = try Framebuffer(
                path: settings.path,
                fileGeometry: .init(width: settings.width, height: settings.height, bitsPerPixel: settings.bitsPerPixel))
        } catch {
            throw ConfigError(message: "framebuffer: \(error)")
        }
        let range = settings.touchRange.count == 4 ? settings.touchRange.map { Int32(clamping: $0) } : [0, 4095, 0, 4095]
        let touch = settings.touch.map {
            EventDevice(path: $0, ranges: ((range[0], range[1]), (range[2], range[3])), logger: logger)
        }
        let used = Canvas.resolvedFamily(settings.font)
        if used?.lowercased() != settings.font.lowercased() {
            logger.warning("framebuffer: font '\(settings.font)' is not installed; drawing with '\(used ?? "none")' instead")
        }
        let keyboard = settings.keyboard.map { EventDevice(path: $0, kind: "keyboard", logger: logger) }
        return FramebufferFront(
            framebuffer: framebuffer, theme: settings.theme == "high-contrast" ? .highContrast : .standard, touch: touch,
            keyboard: keyboard, matrix: settings.calibration,
            axes: (settings.swapXY, settings.invertX, settings.invertY), rotation: settings.rotation, font: settings.font,
            slopMillimetres: settings.touchSlopMillimetres, pixelPitch: settings.pixelPitchMillimetres, logger: logger)
    }

    /// Loads and checks `Flows/`; the same messages as `kioskctl flows check`.
    static func loadFlows(_ config: KioskConfig) throws(ConfigError) -> FlowRunner {
        let result = FlowLoader.load(try yamlFiles(in: config.flowsDirectory))
        guard result.issues.isEmpty else { throw ConfigError(result.issues) }
        guard !result.flows.isEmpty else { throw ConfigError(message: "\(config.flowsDirectory): no flows (*.yaml) found") }
        guard result.flows.contains(where: { $0.id == config.callStaffFlow }) else {
            throw ConfigError(message: "the call-staff flow '\(config.callStaffFlow)' is not in \(config.flowsDirectory)")
        }
        return FlowRunner(flows: result.flows, callStaffFlow: config.callStaffFlow)
    }

    static func loadDevices(_ config: KioskConfig, trust: TrustStore?, logger: Logger) throws(ConfigError) -> DeviceSet {
        try DeviceSet(
            profiles: try loadProfiles(config), active: config.activeDevices, kiosk: (config.kioskID, config.location),
            trust: trust, logger: logger)
    }

    static func loadProfiles(_ config: KioskConfig) throws(ConfigError) -> [DeviceProfile] {
        let (profiles, issues) = DeviceProfile.load(try yamlFiles(in: config.profilesDirectory))
        guard issues.isEmpty else { throw ConfigError(issues) }
        return profiles
    }

    /// The central the config names: the in-process stand-in (also returned, for `kioskctl sim central`) or HTTP.
    static func makeCentral(_ config: KioskConfig, catalogue: ProductCatalogue) throws(ConfigError)
        -> (any CentralService, InProcessCentral?)
    {
        switch config.central {
        case .inProcess:
            let central = InProcessCentral(
                latency: .milliseconds(config.centralLatencyMillis), catalogue: catalogue,
                drawExtract: { try ExtractDocument(demonstration: $0, issued: Date()).pdf() })
            return (central, central)
        case .http:
            guard let url = config.centralURL, let tokenFile = config.centralTokenFile else {
                throw ConfigError(message: "central kind http needs url and tokenFile")
            }
            do {
                let token = try TokenFile.read(tokenFile)
                let central = try HTTPCentral(
                    url: url, kioskID: config.kioskID, token: token, timeout: .seconds(10), caBundle: config.centralCABundle)
                return (central, nil)
            } catch let error as TokenFileError {
                throw ConfigError(message: error.description)
            } catch {
                throw ConfigError(message: "central: \(error)")
            }
        }
    }

    static func yamlFiles(in folder: String) throws(ConfigError) -> [(name: String, text: String)] {
        do {
            return try OperatorFiles.yaml(in: folder)
        } catch {
            throw ConfigError(message: error.description)
        }
    }

    /// Makes the state folder 0700, or narrows an existing one to it: it holds the outbox, and perhaps its key.
    static func prepareStateDirectory(_ path: String) throws(ConfigError) {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ConfigError(message: "cannot create the state folder \(path)")
        }
        guard chmod(path, 0o700) == 0 else {
            throw ConfigError(message: "cannot make the state folder \(path) private (mode 700)")
        }
    }

    static func refreshMetrics(_ metrics: KioskMetrics, engine: KioskEngine, faults: FaultReporter, outbox: Outbox) async {
        let status = await engine.status()
        let open = await faults.openRecords
        metrics.update(
            devices: status.devices.map {
                (id: $0.id, ok: !$0.status.isBlocking, inService: !status.outOfService.contains($0.id))
            }, faults: open, backlog: (try? await outbox.backlog()) ?? 0, dead: (try? await outbox.deadCount()) ?? 0)
    }

    /// The alert sinks with their credentials read (files of mode 0600); a problem is one line and kioskd does not start.
    static func loadSinks(_ config: KioskConfig) throws(ConfigError) -> [AlertSink] {
        var sinks = config.alerts.sinks
        do {
            for index in sinks.indices { try sinks[index].loadCredentials() }
        } catch {
            throw ConfigError(message: error.description)
        }
        return sinks
    }

    /// The funnel's counts; without them the kiosk serves on, and says so once.
    static func makeFunnel(_ config: KioskConfig, logger: Logger) -> FunnelStore? {
        do {
            return try FunnelStore(path: config.stateDirectory + "/funnel.sqlite")
        } catch {
            logger.error("the funnel's counts cannot be kept: \(error)")
            return nil
        }
    }

    /// The fault store and reporter; an unreadable store is moved aside (and said), like the outbox.
    static func makeFaults(_ config: KioskConfig, outbox: Outbox, logger: Logger) async throws(ConfigError) -> FaultReporter {
        do {
            let store = try FaultStore(path: config.stateDirectory + "/faults.sqlite")
            if let aside = store.movedAside { logger.critical("the fault store was corrupt; it was moved aside to \(aside)") }
            return try await FaultReporter(
                outbox: outbox, store: store, sinks: config.alerts.sinks, settings: config.alerts.book,
                unreachableAfter: .seconds(config.unreachableFaultSeconds), logger: logger)
        } catch {
            throw ConfigError(message: error.description)
        }
    }

    /// stderr (the journal) or, with the terminal front, a file; and always the in-memory ring for `kioskctl logs`.
    static func makeLogger(_ config: KioskConfig, ring: LogRing) throws(ConfigError) -> Logger {
        let level = Logger.Level(rawValue: config.logLevel) ?? .info
        let file = config.front == .terminal ? try FileHandleBox(path: config.stateDirectory + "/kioskd.log") : nil
        var logger = Logger(label: "kioskd") { label in
            let main: any LogHandler =
                if let file { FileLogHandler(label: label, handle: file) } else { StreamLogHandler.standardError(label: label) }
            return MultiplexLogHandler([main, RingLogHandler(ring: ring, label: label)])
        }
        logger.logLevel = level
        return logger
    }
}

/// Runs the engine for the daemon's lifetime.
struct EngineService: Service {
    let engine: KioskEngine

    func run() async throws {
        await engine.start()
        try? await gracefulShutdown()
        await engine.stop()
    }
}

/// Deletes the metadata of delivered outbox entries once they are older than the retention period, and old resolved
/// faults, hourly.
struct PurgeService: Service {
    let outbox: Outbox
    let faults: FaultReporter
    let retention: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if let purged = try? await outbox.purge(deliveredBefore: Date().addingTimeInterval(-retention.seconds)),
                    purged > 0
                {
                    logger.info("outbox: purged \(purged) delivered entries past retention")
                }
                await faults.purge()
                try? await Task.sleep(for: .seconds(3600))
            }
        }
    }
}
