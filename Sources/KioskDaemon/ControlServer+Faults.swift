import Alerting
import Foundation
import Hummingbird
import KioskControl
import KioskCore
import KioskDevices

/// The technician's fault routes: list, acknowledge, resolve, run the health checks, take a device out of service.
extension ControlServer {
    static func addFaultRoutes(
        to router: Router<some RequestContext>, faults: FaultReporter, monitor: HealthMonitor, engine: KioskEngine
    ) {
        router.get("/v1/faults") { request, _ in
            if request.uri.queryParameters.get("all") == "1" {
                let limit = request.uri.queryParameters.get("limit").flatMap(Int.init) ?? 100
                return try json(await faults.history(limit: min(max(limit, 1), 1000)))
            }
            return try json(await faults.openRecords)
        }
        router.post("/v1/faults/{id}/ack") { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            guard let record = await faults.acknowledge(id) else { return try missing("no active (unacknowledged) fault \(id)") }
            // Say where it is silenced, so the technician knows staff will not be reminded until then.
            let silenced = faults.sinks.filter { $0.kind == .alertmanager && $0.silenceHours > 0 }
                .map { "; silenced in Alertmanager \($0.name) for \($0.silenceHours) h or until resolved" }.joined()
            return try json(ControlReply(ok: true, message: "fault \(id) (\(record.fault.key)) acknowledged\(silenced)"))
        }
        router.post("/v1/faults/{id}/resolve") { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            guard let record = await faults.resolveByHand(id) else { return try missing("no open fault \(id)") }
            return try json(ControlReply(ok: true, message: "fault \(id) (\(record.fault.key)) resolved"))
        }
        router.post("/v1/health") { _, _ in
            let checks = await monitor.run()
            return try json(HealthReport(checks: checks, faults: await faults.openRecords))
        }
        router.post("/v1/devices/{id}/service") { request, context in
            let id = try context.parameters.require("id")
            let body = try await decode(DeviceServiceRequest.self, request, context)
            guard engine.devices.all.contains(where: { $0.profile.id == id }) else {
                let known = engine.devices.all.map(\.profile.id).joined(separator: ", ")
                return try missing("no device '\(id.prefix(40))' (this kiosk has: \(known))")
            }
            // Faults first: once flows stop offering the device, its faults must already be quiet.
            try await faults.setService(id, inService: body.inService)
            _ = await engine.setService(id, inService: body.inService)
            return try json(
                ControlReply(ok: true, message: "device \(id) \(body.inService ? "back in service" : "out of service")"))
        }
    }
}
