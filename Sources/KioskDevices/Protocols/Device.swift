public import Foundation
public import KioskCore

/// What every device offers, whatever its class (after XFS4IoT's Common interface and UnifiedPOS's device model).
///
/// The daemon knows devices only through these protocols, so a simulator, a PC/SC reader and a CUPS printer are interchangeable.
public protocol Device: Sendable {
    var profile: DeviceProfile { get }
    /// The current status; cheap, no I/O to the device.
    func status() async -> DeviceStatus
    /// What the device can do, for `kioskctl status` (e.g. `resolution: 80mm`, `protocols: T=0,T=1`).
    var capabilities: [String: String] { get }
    /// Status changes and class-specific events. One consumer: the daemon.
    var events: AsyncStream<DeviceEvent> { get }
    /// UnifiedPOS-style statistics since start, for technicians: jobs, failures, paper-outs. No personal data.
    var counters: [String: Int] { get }
}

extension Printer {
    public var recentJobs: [PrintRecord] { [] }
}

extension Device {
    public var deviceClass: DeviceClass { profile.deviceClass }
    public var counters: [String: Int] { [:] }
}

/// Something a device tells the daemon without being asked.
public enum DeviceEvent: Sendable, Equatable {
    case status(DeviceStatus)
    case cardInserted
    case cardRemoved
    case scanned(String)
    /// Something the resident did on a display: a touch on a button, a key, typed text.
    case resident(KioskEvent)
    /// The keypad moved the focus on a display: in speech mode, the control it is on now is said.
    case focus(Focus)
}

/// Reads the chip of an ID card or passport (ICAO 9303). The access key comes from the MRZ, scanned or typed.
public protocol CardReader: Device {
    func readIdentity(with key: AccessKey) async -> CardReadResult
}

/// A card reader's UnifiedPOS-style statistics, with the same names for every driver.
public struct CardReadCounters: Sendable, Equatable {
    public private(set) var values = ["reads": 0, "accessDenied": 0, "removedDuringRead": 0, "failed": 0, "canAsked": 0]

    public init() {}

    public mutating func count(_ result: CardReadResult) {
        switch result {
        case .identity: values["reads", default: 0] += 1
        case .accessDenied: values["accessDenied", default: 0] += 1
        case .cardRemoved: values["removedDuringRead", default: 0] += 1
        case .unreadable: values["failed", default: 0] += 1
        case .canRequired: values["canAsked", default: 0] += 1
        }
    }
}

/// One print job as a technician sees it afterwards: what, how it ended, how long it took. No content.
public struct PrintRecord: Sendable, Equatable, Codable {
    public var document: String
    public var outcome: PrintResult
    public var seconds: Double
    public var at: Date
    /// Why it failed, one line.
    public var problem: String?

    /// The record of a job that started at `start` and ended now.
    public init(_ job: PrintJob, _ result: PrintResult, since start: ContinuousClock.Instant, problem: String?) {
        let elapsed = ContinuousClock.now - start
        self.init(
            document: job.document.rawValue, outcome: result,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, at: Date(),
            problem: result == .printed ? nil : problem)
    }

    public init(document: String, outcome: PrintResult, seconds: Double, at: Date, problem: String? = nil) {
        self.document = document
        self.outcome = outcome
        self.seconds = seconds
        self.at = at
        self.problem = problem
    }
}

/// Prints receipts, tickets and extracts.
public protocol Printer: Device {
    /// The last jobs, newest first, for `kioskctl printer status`.
    var recentJobs: [PrintRecord] { get }

    /// Prints `job`; `document` is a ready-made PDF (an extract from the central) that is printed as it is, instead of a
    /// layout of the job's lines.
    func print(_ job: PrintJob, document: Data?) async -> PrintResult
}

/// Reads the MRZ of a document's data page, or a barcode; results arrive as `.scanned` events.
public protocol DocumentScanner: Device {}

/// The screen residents see and touch: a terminal today, the framebuffer with a touch panel later.
///
/// It draws each ``Screen`` the engine publishes and reports what the resident does as `.resident` events, in order.
public protocol Display: Device {
    func show(_ screen: Screen)
    /// When it last drew, and when a resident last touched it, for the health checks (a screen that stopped drawing, a
    /// touch panel that went silent). A front that cannot tell leaves this at its default.
    var liveness: FrontLiveness { get }
}

extension Display {
    public var liveness: FrontLiveness { FrontLiveness() }
}

/// What a front knows about its own life; times are seconds since 1970.
public struct FrontLiveness: Sendable, Equatable {
    /// The last screen it was asked to show, and the last it managed to draw.
    public var askedAt: Double?
    public var drawnAt: Double?
    /// The last touch, if it has a touch panel at all.
    public var touchedAt: Double?
    public var hasTouch: Bool

    public init(askedAt: Double? = nil, drawnAt: Double? = nil, touchedAt: Double? = nil, hasTouch: Bool = false) {
        self.askedAt = askedAt
        self.drawnAt = drawnAt
        self.touchedAt = touchedAt
        self.hasTouch = hasTouch
    }
}
