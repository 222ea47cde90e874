import Central
import Foundation
import Hummingbird
import KioskControl
import KioskCore
import KioskDevices
import Logging
import NIOCore
import Outbox

/// The technicians' way in: HTTP with JSON on a Unix socket (mode 0660), used by `kioskctl`.
///
/// It reports status without personal data, and drives the simulators. Every refusal is a ``ControlReply`` with one line.
enum ControlServer {
    static func application(
        engine: KioskEngine, outbox: Outbox, central: InProcessCentral?, usb: USBWatch, faults: FaultReporter,
        monitor: HealthMonitor, speech: SpeechService, logs: LogRing, config: KioskConfig, socketPath: String,
        logger: Logger
    ) -> some ApplicationProtocol {
        let router = Router()
        router.middlewares.add(OneLineErrors())
        addFaultRoutes(to: router, faults: faults, monitor: monitor, engine: engine)
        router.get("/v1/diag/config") { _, _ in
            try json(ControlReply(ok: true, message: config.redactedSource() ?? "(the config file cannot be read)"))
        }
        router.get("/v1/logs") { request, _ in
            let after = request.uri.queryParameters.get("after").flatMap(Int.init) ?? 0
            return try json(logs.lines(after: after))
        }
        router.get("/v1/status") { _, _ in try json(await engine.status()) }
        router.get("/v1/funnel") { request, _ in
            let since = request.uri.queryParameters.get("since").map { String($0) } ?? "0000-00-00"
            guard since.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil else { return try refuse("since must be YYYY-MM-DD") }
            guard let funnel = engine.funnel else { return try missing("this kioskd keeps no funnel counts (see its log)") }
            // In the order of the start screen and of each flow's steps.
            var report = try await funnel.report(since: since)
            let flows = engine.runner.flows
            func position(_ step: FunnelReport.Step) -> (Int, Int) {
                let flow = flows.firstIndex { $0.id == step.flow } ?? Int.max
                let index = flow == Int.max ? Int.max : flows[flow].steps.firstIndex { $0.id == step.step } ?? Int.max
                return (flow, index)
            }
            report.steps.sort { position($0) < position($1) }
            return try json(report)
        }
        router.get("/v1/usb") { _, _ in try json(await usb.report) }
        router.get("/v1/screenshot") { _, _ in
            let png = try await engine.screenshot()
            return Response(
                status: .ok, headers: [.contentType: "image/png"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: png)))
        }
        router.get("/v1/payment") { _, _ in
            guard let payments = engine.payments else { return try refuse("this kiosk has no payment terminal") }
            return try json(try await payments.report())
        }
        router.get("/v1/payment/last") { _, _ in
            guard let payments = engine.payments else { return try refuse("this kiosk has no payment terminal") }
            return try json(try await payments.last())
        }
        router.post("/v1/payment/test") { request, context in
            let body = try await decode(PaymentTestRequest.self, request, context)
            guard let payments = engine.payments else { return try refuse("this kiosk has no payment terminal") }
            guard await engine.isIdle else { return try refuse("a resident is using the kiosk; try again when it is free") }
            return try json(await payments.test(amountCents: body.amountCents))
        }
        router.post("/v1/payment/close-day") { _, _ in
            guard let payments = engine.payments else { return try refuse("this kiosk has no payment terminal") }
            return try json(await payments.closeDay(central: engine.gateway.central))
        }
        router.get("/v1/printer") { _, _ in
            guard let report = await engine.printerReport() else { return try refuse("this kiosk has no printer") }
            return try json(report)
        }
        router.post("/v1/speech/test") { _, _ in try json(await speech.test()) }
        router.post("/v1/printer/test") { _, _ in
            guard let printer = engine.devices.printer else { return try refuse("this kiosk has no printer") }
            let result = await engine.printTestTicket()
            let problem = printer.recentJobs.first?.problem.map { ": \($0)" } ?? ""
            let message =
                switch result {
                case .printed: "test ticket printed"
                case .failed: "the test ticket did not print\(problem)"
                case .unknown: "the printer did not confirm the test ticket\(problem)"
                }
            return try json(ControlReply(ok: result == .printed, message: message))
        }
        router.post("/v1/sim/card") { request, context in
            let body = try await decode(SimCardRequest.self, request, context)
            guard let reader = engine.devices.simulatedCardReader else {
                return try refuse("this kiosk has no simulated card reader")
            }
            switch body.action {
            case .remove:
                reader.remove()
                return try json(ControlReply(ok: true, message: "card removed"))
            case .present:
                do {
                    let mrz = try MRZ(body.mrz ?? "")
                    guard let evidence = SimulatedCardReader.evidence(for: mrz, tamper: body.tamper) else {
                        return try refuse(
                            "unknown tamper '\(body.tamper?.prefix(20) ?? "")' (expected one of: "
                                + SimulatedCardReader.tampers.joined(separator: ", ") + ")")
                    }
                    if let can = body.can, !AccessKey.isCAN(can) { return try refuse("--can: six digits") }
                    reader.present(mrz, evidence: evidence, can: body.can)
                    return try json(ControlReply(ok: true, message: "card presented"))
                } catch {
                    return try refuse("\(error)")
                }
            }
        }
        router.post("/v1/sim/printer") { request, context in
            let body = try await decode(SimPrinterRequest.self, request, context)
            guard let printer = engine.devices.simulatedPrinter else { return try refuse("this kiosk has no simulated printer") }
            guard let condition = SimulatedPrinter.Condition(rawValue: body.condition) else {
                let known = SimulatedPrinter.Condition.allCases.map(\.rawValue).joined(separator: ", ")
                return try refuse("unknown printer condition '\(body.condition.prefix(40))' (expected one of: \(known))")
            }
            printer.set(condition)
            return try json(ControlReply(ok: true, message: "printer \(condition.rawValue)"))
        }
        router.post("/v1/sim/scan") { request, context in
            let body = try await decode(SimScanRequest.self, request, context)
            guard let scanner = engine.devices.simulatedScanner else { return try refuse("this kiosk has no simulated scanner") }
            guard body.code.count <= 200 else { return try refuse("a scan is at most 200 characters") }
            scanner.scan(body.code)
            return try json(ControlReply(ok: true, message: "scanned"))
        }
        router.post("/v1/sim/central") { request, context in
            let body = try await decode(SimCentralRequest.self, request, context)
            guard let central else { return try refuse("this kiosk does not use the in-process central") }
            await central.setReachable(body.online)
            return try json(ControlReply(ok: true, message: body.online ? "central online" : "central offline"))
        }
        router.post("/v1/input") { request, context in
            let body = try await decode(InputRequest.self, request, context)
            if let text = body.action {
                guard let action = Action(text) else { return try refuse("unknown action '\(text.prefix(40))'") }
                guard await engine.screen.offers(action) else { return try refuse("the screen does not offer '\(action)' now") }
                await engine.send(.action(action))
            }
            if let text = body.text {
                guard text.count <= 100 else { return try refuse("type at most 100 characters at once") }
                await engine.send(.typed(text))
            }
            return try json(ControlReply(ok: true, message: "done"))
        }
        router.get("/v1/queue") { _, _ in try json(try await outbox.list().map(entry)) }
        router.get("/v1/queue/{id}") { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            guard let found = try await outbox.list().first(where: { $0.id == id }) else {
                return try refuse("no queue entry \(id)")
            }
            return try json(entry(found))
        }
        router.post("/v1/queue/{id}/retry") { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            guard try await outbox.retry(id) else { return try refuse("no waiting or dead entry \(id)") }
            return try json(ControlReply(ok: true, message: "entry \(id) is due now"))
        }
        router.delete("/v1/queue/{id}") { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            guard try await outbox.drop(id) else { return try refuse("no queue entry \(id)") }
            return try json(ControlReply(ok: true, message: "entry \(id) dropped"))
        }
        #if KIOSK_TEST_HOOKS
            // The VM bench's wedge (kioskctl debug-wedge): the engine stops answering, so the watchdog must fire.
            router.post("/v1/debug/wedge") { _, _ in
                logger.critical("test hook: wedging the engine")
                await engine.wedge()
                return try json(ControlReply(ok: true, message: "unreachable"))
            }
        #endif
        return Application(
            router: router,
            configuration: .init(address: .unixDomainSocket(path: socketPath), serverName: "kioskd"),
            onServerRunning: { _ in
                // The socket is created from the umask; technicians are in the kiosk group, nobody else may talk to it.
                chmod(socketPath, 0o660)
                logger.info("control socket ready at \(socketPath)")
            },
            logger: logger)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, _ context: some RequestContext) async throws -> T {
        do {
            return try await request.decode(as: type, context: context)
        } catch {
            throw HTTPError(.badRequest, message: "the request body is not the JSON kioskd expects for \(request.uri.path)")
        }
    }

    /// No such thing (a fault id, a device): 404 with one line, so kioskctl exits with 4 like systemctl.
    static func missing(_ message: String) throws -> Response {
        try json(ControlReply(ok: false, message: message), status: .notFound)
    }

    /// A refusal the technician can act on: 422 with one line.
    static func refuse(_ message: String) throws -> Response {
        try json(ControlReply(ok: false, message: message), status: .unprocessableContent)
    }

    static func entry(_ summary: Outbox.Summary) -> QueueEntry {
        QueueEntry(
            id: summary.id, kind: summary.kind, reference: summary.reference, state: summary.state, attempts: summary.attempts,
            createdAt: summary.createdAt, nextAttemptAt: summary.nextAttemptAt, lastError: summary.lastError)
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Turns any error into a ``ControlReply`` with one line, so kioskctl never has to print an HTML page or a stack trace.
struct OneLineErrors<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            return try reply(error.status, error.body ?? error.status.reasonPhrase, request, context)
        } catch {
            return try reply(.internalServerError, "kioskd could not do that: \(error)", request, context)
        }
    }

    func reply(_ status: HTTPResponse.Status, _ message: String, _ request: Request, _ context: Context) throws -> Response {
        try ControlServer.json(ControlReply(ok: false, message: message), status: status)
    }
}
