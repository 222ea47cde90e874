/// Something the resident did on a screen, named by what it means rather than where it was touched.
///
/// Fronts map keys, clicks and touches onto actions; the runner ignores an action that the current screen does not offer, so a
/// stale click or a forged request cannot skip a step. The string form (`start:pickup`, `option:standard`, `back`) is what the
/// control socket and the tests use.
public enum Action: Hashable, Sendable, CustomStringConvertible {
    case startFlow(String)
    case option(String)
    case next
    case submitInput
    case retry
    case finish
    case keepGoing
    case back
    case stop
    case language
    case callStaff
    /// Start or stop reading the screens aloud (the button every screen has).
    case readAloud
    /// Stop a payment under way: the terminal is asked to abort.
    case cancelPayment

    public var description: String {
        switch self {
        case .startFlow(let id): "start:\(id)"
        case .option(let id): "option:\(id)"
        case .next: "next"
        case .submitInput: "submit"
        case .retry: "retry"
        case .finish: "finish"
        case .keepGoing: "keep-going"
        case .back: "back"
        case .stop: "stop"
        case .language: "language"
        case .callStaff: "call-staff"
        case .readAloud: "read-aloud"
        case .cancelPayment: "cancel-payment"
        }
    }

    public init?(_ text: String) {
        if text.hasPrefix("start:") {
            self = .startFlow(String(text.dropFirst(6)))
            return
        }
        if text.hasPrefix("option:") {
            self = .option(String(text.dropFirst(7)))
            return
        }
        let plain: [String: Action] = [
            "next": .next, "submit": .submitInput, "retry": .retry, "finish": .finish, "keep-going": .keepGoing, "back": .back,
            "stop": .stop, "language": .language, "call-staff": .callStaff, "cancel-payment": .cancelPayment,
            "read-aloud": .readAloud,
        ]
        guard let action = plain[text] else { return nil }
        self = action
    }
}

/// Everything that can happen to a kiosk: resident input, device news, answers to effects, and timers.
///
/// Answers carry the request number of the effect that asked for them; an answer to a request the runner no longer waits for
/// (the resident left, the session was wiped) is dropped.
public enum KioskEvent: Sendable, Equatable {
    case action(Action)
    /// Characters typed into the input field. Anything but letters, digits, space, `-`, `.` and `/` is dropped.
    case typed(String)
    case erase
    /// A document scanner (MRZ) or code scanner read something.
    case scanned(String)
    case cardInserted
    case cardRemoved
    /// The chip's answer, with the day it was read on: the runner reads no clock, and the identify step checks expiry.
    case cardRead(request: Int, CardReadResult, today: CalendarDate)
    case serviceResult(request: Int, ServiceResult)
    case printed(request: Int, PrintResult)
    case paid(request: Int, PaymentResult)
    /// What the payment terminal shows its customer ("insert card", "enter PIN"), for the kiosk's screen.
    case paymentPrompt(request: Int, [String])
    case timer(Int)
    case deviceStatus(DeviceClass, DeviceStatus)
    /// A technician took a device out of service, or put it back (`kioskctl device NAME out-of-service`).
    case deviceService(DeviceClass, inService: Bool)
    case centralReachable(Bool)
    /// Whether the outbox can store requests (the daemon's look at the disk, or a store that failed).
    case storage(canStore: Bool)
    /// A headset went into the jack (`true`) or came out: the jack's switch (SW_HEADPHONE_INSERT).
    case headset(plugged: Bool)
    /// The keypad's repeat and volume keys.
    case speech(SpeechControl)

    /// Whether the event shows a resident at the screen, which restarts the inactivity clock.
    var isResidentActivity: Bool {
        switch self {
        case .action, .typed, .erase, .scanned, .cardInserted, .cardRemoved, .speech, .headset(plugged: true): true
        default: false
        }
    }
}

/// What reading a document chip gave.
public enum CardReadResult: Sendable, Equatable {
    /// The holder's data, and what was proved about the document.
    case identity(Identity, ChipEvidence = .unchecked)
    /// The access key (MRZ data) does not open this chip.
    case accessDenied
    /// The card left the reader during the read.
    case cardRemoved
    /// The chip wants the card access number (CAN) printed on the card before it opens.
    case canRequired
    /// The chip answered, but not sensibly.
    case unreadable
}

/// A central service's answer: the outcome the flow branches on, plus fields for the following screens (case id, counter, …).
public struct ServiceResult: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var outcome: ServiceOutcome
    public var fields: [String: String]

    public init(_ outcome: ServiceOutcome, fields: [String: String] = [:]) {
        self.outcome = outcome
        self.fields = fields
    }

    /// The fields can hold an extract's text (name, BSN): only their names show.
    public var description: String { "ServiceResult(\(outcome.rawValue), fields: \(fields.keys.sorted()))" }
    public var debugDescription: String { description }
}

/// How a print job ended, as the printer itself accounts for it.
public enum PrintResult: String, Sendable, Equatable, Codable {
    /// The printer reports the job completed.
    case printed
    /// Known not printed: refused before it was sent, or aborted or cancelled at the printer before a sheet came out. A
    /// retry cannot print it twice.
    case failed
    /// Nobody can say: the printer went away mid-job, or aborted after sheets came out. Never retried by the kiosk; staff
    /// check the tray.
    case unknown
}
