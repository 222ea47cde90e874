public import Foundation
public import KioskCore
public import KioskDevices

/// What `kioskctl status` shows: where the kiosk is and how its devices are, never who is using it.
public struct StatusReport: Codable, Sendable, Equatable {
    public struct DeviceReport: Codable, Sendable, Equatable {
        public var id: String
        public var deviceClass: DeviceClass
        public var driver: String
        public var status: DeviceStatus
        public var capabilities: [String: String]
        /// UnifiedPOS-style statistics since start (jobs printed, jobs failed, ...).
        public var counters: [String: Int]

        public init(
            id: String, deviceClass: DeviceClass, driver: String, status: DeviceStatus, capabilities: [String: String],
            counters: [String: Int] = [:]
        ) {
            self.id = id
            self.deviceClass = deviceClass
            self.driver = driver
            self.status = status
            self.capabilities = capabilities
            self.counters = counters
        }
    }

    public struct FlowReport: Codable, Sendable, Equatable {
        public var id: String
        public var available: Bool

        public init(id: String, available: Bool) {
            self.id = id
            self.available = available
        }
    }

    public var kioskID: String
    public var location: String
    public var front: String
    public var language: Language
    /// The active flow and step ids, or nil at the start screen.
    public var flow: String?
    public var step: String?
    public var phase: String
    public var centralOnline: Bool
    public var outOfOrder: Bool
    public var devices: [DeviceReport]
    public var flows: [FlowReport]
    /// The open faults, as `kioskctl faults` shows them.
    public var faults: [FaultBook.Record]
    /// Device ids a technician took out of service.
    public var outOfService: [String]
    /// Speech output; nil from a kioskd without it.
    public var speech: SpeechReport?

    public init(
        kioskID: String, location: String, front: String, language: Language, flow: String?, step: String?, phase: String,
        centralOnline: Bool, outOfOrder: Bool, devices: [DeviceReport], flows: [FlowReport], faults: [FaultBook.Record] = [],
        outOfService: [String] = []
    ) {
        self.faults = faults
        self.outOfService = outOfService
        self.kioskID = kioskID
        self.location = location
        self.front = front
        self.language = language
        self.flow = flow
        self.step = step
        self.phase = phase
        self.centralOnline = centralOnline
        self.outOfOrder = outOfOrder
        self.devices = devices
        self.flows = flows
    }
}

/// `POST /v1/sim/card` — lay a document on the simulated reader, or take it off.
public struct SimCardRequest: Codable, Sendable {
    public enum Action: String, Codable, Sendable { case present, remove }
    public var action: Action
    /// TD1 or TD3, lines separated by newlines or run together.
    public var mrz: String?
    /// How the simulated document fails passive authentication: `dg1`, `sod-signature`, `unknown-issuer`, `unsigned`;
    /// nil for a genuine one.
    public var tamper: String?
    /// The card access number the chip insists on (a PACE chip that refuses the MRZ); nil for none.
    public var can: String?

    public init(action: Action, mrz: String? = nil, tamper: String? = nil, can: String? = nil) {
        self.action = action
        self.mrz = mrz
        self.tamper = tamper
        self.can = can
    }
}

/// `POST /v1/sim/printer` — `ok`, `paper-low`, `paper-out`, `jam` or `offline`.
public struct SimPrinterRequest: Codable, Sendable {
    public var condition: String
    public init(condition: String) { self.condition = condition }
}

/// `POST /v1/sim/scan` — what the simulated scanner reads next.
public struct SimScanRequest: Codable, Sendable {
    public var code: String
    public init(code: String) { self.code = code }
}

/// `POST /v1/sim/central` — switch the in-process central reachable or not.
public struct SimCentralRequest: Codable, Sendable {
    public var online: Bool
    public init(online: Bool) { self.online = online }
}

/// `POST /v1/input` — press a button (`start:pickup`, `option:standard`, `next`, `back`, …) or type text, as a resident would.
/// For headless kiosks, tests and remote support; the runner refuses anything the screen does not offer.
public struct InputRequest: Codable, Sendable {
    public var action: String?
    public var text: String?

    public init(action: String? = nil, text: String? = nil) {
        self.action = action
        self.text = text
    }
}

/// The answer to a command that changes something: what happened, in one line.
public struct ControlReply: Codable, Sendable, Equatable {
    public var ok: Bool
    public var message: String

    public init(ok: Bool, message: String) {
        self.ok = ok
        self.message = message
    }
}

/// One outbox entry as `kioskctl queue` shows it: kind, the kiosk's reference, state and timing. Never the request itself.
public struct QueueEntry: Codable, Sendable, Equatable {
    public var id: Int64
    public var kind: String
    public var reference: String
    public var state: String
    public var attempts: Int
    public var createdAt: Date
    public var nextAttemptAt: Date
    public var lastError: String?

    public init(
        id: Int64, kind: String, reference: String, state: String, attempts: Int, createdAt: Date, nextAttemptAt: Date,
        lastError: String?
    ) {
        self.id = id
        self.kind = kind
        self.reference = reference
        self.state = state
        self.attempts = attempts
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
    }
}

/// A device on the kiosk's USB bus, for `kioskctl usb`: its ids, the profile it matched, and whether it is unknown.
public struct USBReport: Codable, Sendable, Equatable {
    public var bus: Int
    public var address: Int
    /// `vvvv:pppp`.
    public var id: String
    public var label: String
    public var profile: String?
    public var hub: Bool
    public var unknown: Bool

    public init(bus: Int, address: Int, id: String, label: String, profile: String?, hub: Bool, unknown: Bool) {
        self.bus = bus
        self.address = address
        self.id = id
        self.label = label
        self.profile = profile
        self.hub = hub
        self.unknown = unknown
    }
}

/// `kioskctl printer status`: the printer device with its driver's view (queue, device, reasons) and its last jobs.
public struct PrinterReport: Codable, Sendable, Equatable {
    public var device: StatusReport.DeviceReport
    public var recentJobs: [PrintRecord]

    public init(device: StatusReport.DeviceReport, recentJobs: [PrintRecord]) {
        self.device = device
        self.recentJobs = recentJobs
    }
}

/// `kioskctl device NAME out-of-service|in-service`.
public struct DeviceServiceRequest: Codable, Sendable, Equatable {
    public var inService: Bool

    public init(inService: Bool) { self.inService = inService }
}

/// One line of kioskd's log, numbered so `kioskctl logs -f` asks only for what is new.
public struct LogLine: Codable, Sendable, Equatable {
    public var seq: Int
    public var line: String

    public init(seq: Int, line: String) {
        self.seq = seq
        self.line = line
    }
}
