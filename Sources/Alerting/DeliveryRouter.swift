public import Central
import Foundation
public import KioskCore
public import Logging

/// What the outbox drainer sends through: alert batches to their sink, everything else to the central.
public struct DeliveryRouter: CentralService {
    let central: any CentralService
    let posters: [String: HTTPAlertPoster]
    let logger: Logger

    public init(central: any CentralService, sinks: [AlertSink], origin: AlertOrigin, logger: Logger) {
        self.central = central
        self.logger = logger
        var posters: [String: HTTPAlertPoster] = [:]
        for sink in sinks where sink.kind != .central { posters[sink.name] = HTTPAlertPoster(sink: sink, origin: origin) }
        self.posters = posters
    }

    public func send(_ request: ServiceRequest, delivery: Delivery) async -> CentralAnswer {
        guard case .deliverAlert(let batch) = request else { return await central.send(request, delivery: delivery) }
        guard let poster = posters[batch.sink] else {
            // Queued before the config changed: nobody is listening there any more, so it is dropped rather than kept.
            logger.warning("alerts for sink \(batch.sink) dropped: that sink is no longer configured")
            return .answered(ServiceResult(.rejected))
        }
        return await poster.post(batch)
    }
}
