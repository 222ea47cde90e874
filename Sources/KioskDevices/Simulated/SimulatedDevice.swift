public import KioskCore
import Synchronization

/// The state every simulator shares: its profile, a status, and an event stream.
///
/// Simulators are drivers like any other: the daemon cannot tell them from hardware. They are driven at run time through the
/// control socket (`kioskctl sim …`), so a technician or a test can produce every fault a real device has.
final class SimulatedCore: Sendable {
    let profile: DeviceProfile
    let events: AsyncStream<DeviceEvent>
    private let continuation: AsyncStream<DeviceEvent>.Continuation
    private let current: Mutex<DeviceStatus>

    init(profile: DeviceProfile, status: DeviceStatus) {
        self.profile = profile
        current = Mutex(status)
        (events, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(64))
    }

    var status: DeviceStatus { current.withLock { $0 } }

    /// Changes the status and tells the daemon, unless nothing changed.
    func set(_ status: DeviceStatus) {
        let changed = current.withLock { old in
            defer { old = status }
            return old != status
        }
        if changed { continuation.yield(.status(status)) }
    }

    func emit(_ event: DeviceEvent) { continuation.yield(event) }

    deinit { continuation.finish() }
}
