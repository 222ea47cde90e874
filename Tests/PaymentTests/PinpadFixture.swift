import Foundation
import KioskCore
import KioskDevices
import KioskTesting
import Logging
import Payment
import Pinpad
import Synchronization

/// One kiosk-pinpad and one opi driver for a suite: the driver listens for channel 1 on a free port, and the simulator
/// connects back to it. Payment sequence numbers are unique across the run, as the journal's are.
struct PinpadFixture: Sendable {
    let pinpad: RunningPinpad
    let terminal: OPITerminal

    static let sequence = Mutex(1000)

    static func nextSequence() -> Int {
        sequence.withLock {
            $0 += 1
            return $0
        }
    }

    static func start(workstation: String = "kiosk-test", options: [String: String] = [:]) async throws -> PinpadFixture {
        let devicePort = try Harness.freePort()
        let pinpad = try await PinpadPeer.start(devicePort: devicePort)
        // The resident's time at the terminal: long enough that a loaded machine never aborts an approval kiosk-pinpad is
        // already giving (the slow case waits for the abort, so it takes this long).
        var all = [
            "port": "\(pinpad.port)", "devicePort": "\(devicePort)", "paymentSeconds": "10", "abortSeconds": "2",
            "answerSeconds": "3", "probeSeconds": "0",
        ]
        all.merge(options) { _, new in new }
        let profile = DeviceProfile(id: "pinpad", deviceClass: .paymentTerminal, driver: "opi", options: all)
        let terminal = try OPITerminal(profile: profile, workstation: workstation, logger: Logger(label: "test"))
        try await waitOnline(terminal)
        return PinpadFixture(pinpad: pinpad, terminal: terminal)
    }

    /// Waits until the driver says online (readiness: at most 60 s, for a loaded machine).
    static func waitOnline(_ terminal: OPITerminal) async throws {
        try await Harness.eventually("the opi driver online", seconds: 60) { await terminal.status().state == .online }
    }

    func attempt(_ cents: Int = 1440) -> PaymentAttempt {
        PaymentAttempt(reference: "TLB-TEST\(Self.nextSequence())", sequence: Self.nextSequence(), amountCents: cents)
    }

    func set(_ behaviour: PinpadBehaviour, times: Int? = 1, inquiries: Bool = true) async throws {
        try await pinpad.set(PinpadSettings(next: behaviour, times: times, inquiries: inquiries))
    }
}

/// Collects the prompts a payment shows.
final class Prompts: Sendable {
    private let lines = Mutex<[[String]]>([])
    var all: [[String]] { lines.withLock { $0 } }
    var sink: @Sendable ([String]) -> Void { { [self] new in lines.withLock { $0.append(new) } } }
}
