import Foundation
import Hummingbird
import KioskCore
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

/// What Prometheus scrapes from `/metrics`: device status, open faults, the outbox, flow starts, completions and abandons
/// per step, and how long frames and enqueues take. Flow and step ids only: never anything a resident typed.
final class KioskMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    static func name(_ metric: String, _ help: String, unit: String = "") -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "kiosk", metricName: metric, unitName: unit, helpText: help)
    }

    func flowStarted(_ flow: String) {
        registry.makeCounter(
            descriptor: Self.name("flow_starts", "Flows residents started.", unit: "total"), labels: [("flow", flow)]
        )
        .increment()
    }

    func flowEnded(_ flow: String, step: String, _ end: SessionEnd) {
        if end == .finished {
            registry.makeCounter(
                descriptor: Self.name("flow_completions", "Flows residents finished.", unit: "total"), labels: [("flow", flow)]
            ).increment()
        } else {
            registry.makeCounter(
                descriptor: Self.name(
                    "flow_abandons", "Flows left before the end, by the step they were left at.", unit: "total"),
                labels: [("flow", flow), ("step", step), ("reason", end.rawValue)]
            ).increment()
        }
    }

    static let buckets: [Duration] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].map { .milliseconds($0) }

    func rendered(_ duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: Self.name("frame_render", "Time to draw one screen.", unit: "seconds"), buckets: Self.buckets
        ).record(duration)
    }

    func enqueued(_ duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: Self.name("outbox_enqueue", "Time to commit one request to the outbox.", unit: "seconds"),
            buckets: Self.buckets
        ).record(duration)
    }

    /// The gauges, read fresh at each scrape.
    func update(devices: [(id: String, ok: Bool, inService: Bool)], faults: [FaultBook.Record], backlog: Int, dead: Int) {
        for device in devices {
            registry.makeGauge(
                descriptor: Self.name("device_up", "1 when the device works, 0 when it has a fault."),
                labels: [("device", device.id)]
            ).set(to: device.ok ? 1 : 0)
            registry.makeGauge(
                descriptor: Self.name("device_in_service", "0 when a technician took the device out of service."),
                labels: [("device", device.id)]
            ).set(to: device.inService ? 1 : 0)
        }
        for severity in Fault.Severity.allCases {
            registry.makeGauge(
                descriptor: Self.name("faults_open", "Open faults by severity."), labels: [("severity", severity.rawValue)]
            ).set(to: Double(faults.filter { $0.fault.severity == severity }.count))
        }
        registry.makeGauge(descriptor: Self.name("outbox_depth", "Requests waiting for delivery.")).set(to: Double(backlog))
        registry.makeGauge(descriptor: Self.name("outbox_dead", "Requests refused for good.")).set(to: Double(dead))
    }
}

/// Serves `/metrics` on a loopback address for the local Prometheus (or node exporter's proxy).
enum MetricsServer {
    static func application(
        host: String, port: Int, metrics: KioskMetrics, refresh: @escaping @Sendable () async -> Void, logger: Logger
    ) -> some ApplicationProtocol {
        let router = Router()
        router.get("/metrics") { _, _ in
            await refresh()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
        }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "kioskd"),
            onServerRunning: { channel in logger.info("metrics at http://\(host):\(channel.localAddress?.port ?? port)/metrics")
            },
            logger: logger)
    }
}
