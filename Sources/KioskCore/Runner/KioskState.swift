/// The whole state of one kiosk at one moment. The ``FlowRunner`` is the only thing that changes it.
///
/// It holds personal data while a resident is busy (typed BSN, identity), so its description says nothing of the session.
public struct KioskState: Sendable, Equatable, CustomStringConvertible {
    public enum Place: Sendable, Equatable {
        case home
        case step(flow: String, step: String)
    }

    public var language: Language
    public let defaultLanguage: Language
    public var place: Place = .home
    public var phase: Phase = .ready
    /// Steps behind the current one in this flow, for back. Cleared once a submit has gone out, so back never repeats it.
    public var history: [String] = []
    public var session = Session()
    /// What is typed into the current input field.
    public var input = ""
    public var notice: Notice?
    /// The inactivity warning is showing.
    public var warning = false
    /// A failure screen's last stretch: the next timer ends the session (no warning is shown over a failure).
    public var closing = false
    public var timerToken = 0
    public var requestCounter = 0
    public var devices: [DeviceClass: DeviceStatus] = [:]
    /// Device classes a technician took out of service (XFS4IoT VendorMode): their flows are not offered.
    public var outOfService: Set<DeviceClass> = []
    public var cardPresent = false
    public var centralOnline = true
    /// Whether the outbox can store a request (not on a full disk): flows that send one are not offered without it.
    public var canStore = true
    /// Reading the screens aloud: not personal data, and it outlives a visit only while a headset stays in.
    public var speech = SpeechMode()

    public init(language: Language = .nl, devices: [DeviceClass: DeviceStatus] = [:]) {
        self.language = language
        defaultLanguage = language
        self.devices = devices
    }

    public var description: String {
        switch place {
        case .home: "KioskState(home)"
        case .step(let flow, let step): "KioskState(\(flow)/\(step), \(phase.name))"
        }
    }
}

/// Where a step is inside itself: ready for input, waiting for an answer, or in one of the identify stages.
public enum Phase: Sendable, Equatable {
    case ready
    case waiting(request: Int)
    case identify(IdentifyPhase)
    /// A print or a read went wrong and the resident can retry.
    case failed
    /// A print whose outcome nobody can know (the printer went away mid-job): no retry, which could print it twice; the
    /// resident takes the reference to the counter.
    case unconfirmed
    /// Three failed identifications: the resident is offered a staff member.
    case tooManyFailures
    /// A payment that charged nothing (declined, cancelled, failed), shown on the pay step with "try again".
    case paymentFailed(PaymentOutcome)
    /// The attempt ends here and the resident is sent to the counter (an expired document, another person's BSN, too many
    /// wrong pickup codes, a locked pickup); nothing more is sent.
    case refused(Refusal)

    public var name: String {
        switch self {
        case .ready: "ready"
        case .waiting: "waiting"
        case .identify: "identify"
        case .failed: "failed"
        case .unconfirmed: "unconfirmed"
        case .tooManyFailures: "too-many-failures"
        case .paymentFailed(let outcome): "payment-\(outcome.rawValue)"
        case .refused(let why): "refused-\(why.rawValue)"
        }
    }
}

public enum IdentifyPhase: Sendable, Equatable {
    case typing(KeyField, PartialKey)
    /// The chip asked for the CAN: the resident types the six digits printed on the card.
    case typingCAN(AccessKey)
    case waitingForCard(AccessKey)
    case reading(request: Int, AccessKey)
}

/// The fields a resident types when the MRZ is not scanned.
public enum KeyField: Int, Sendable, Equatable, CaseIterable {
    case documentNumber, birthDate, expiryDate
}

public struct PartialKey: Sendable, Equatable {
    public var documentNumber: String?
    public var birthDate: CalendarDate?

    public init(documentNumber: String? = nil, birthDate: CalendarDate? = nil) {
        self.documentNumber = documentNumber
        self.birthDate = birthDate
    }
}

/// A one-line message on the current screen.
public struct Notice: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, Codable { case info, error }
    public var kind: Kind
    public var text: LocalizedText

    public static func error(_ text: LocalizedText) -> Notice { Notice(kind: .error, text: text) }
    public static func info(_ text: LocalizedText) -> Notice { Notice(kind: .info, text: text) }
}

/// What one resident's visit collected. Wiped whole when the visit ends, times out, or is handed to staff.
public struct Session: Sendable, Equatable, CustomStringConvertible {
    /// Input and choice values by their `store` key (`bsn`, `pickupCode`, `product`).
    public var values: [String: String] = [:]
    public var identity: Identity?
    /// Fields from central answers (`caseId`, `reference`, `counter`, …).
    public var results: [String: String] = [:]
    public var identifyFailures = 0
    /// Pickup codes the central did not know, this session.
    public var unknownPickupCodes = 0
    /// Where a resident was when they called staff (flow and step ids only).
    public var staffContext: StaffCall?
    /// The approved payment, which the following request carries, and the terminal's receipt text.
    public var payment: PaymentRecord?
    public var paymentReceipt: [String] = []
    /// Payments tried on the current pay step.
    public var paymentAttempts = 0
    /// What the payment terminal shows its customer, while a payment is under way.
    public var paymentPrompt: [String] = []

    public init() {}

    public var isEmpty: Bool { self == Session() }
    public var description: String { "Session(redacted)" }
}
