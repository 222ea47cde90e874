/// A resident-facing procedure, loaded from one file in `Flows/`: an id, a title, the devices it needs, and its steps.
///
/// Flows are data so that a municipality can change texts, fees and order without a release. The loader checks every file before
/// the daemon serves it (see ``FlowLoader``).
public struct Flow: Sendable, Equatable {
    public let id: String
    public let title: LocalizedText
    /// Place on the start screen; lower comes first.
    public let order: Int
    /// Device classes this flow cannot run without; a blocking fault on one hides the flow.
    public let requires: Set<DeviceClass>
    public let inactivity: Inactivity
    public let steps: [Step]
    public let location: FileLocation

    /// The first step.
    public var start: Step { steps[0] }

    /// The central services its submit steps call.
    public var services: Set<ServiceKind> {
        Set(steps.compactMap { if case .submit(let submit) = $0.kind { submit.service } else { nil } })
    }

    public func step(_ id: String) -> Step? {
        steps.first { $0.id == id }
    }

    public func index(of id: String) -> Int? {
        steps.firstIndex { $0.id == id }
    }
}

/// How long a screen may sit untouched before the resident is warned, and how long after the warning the session is wiped.
public struct Inactivity: Sendable, Equatable {
    public var warnAfter: Int
    public var resetAfter: Int

    public init(warnAfter: Int, resetAfter: Int) {
        self.warnAfter = warnAfter
        self.resetAfter = resetAfter
    }

    public static let standard = Inactivity(warnAfter: 60, resetAfter: 20)
}

/// One screen of a flow and what happens after it.
public struct Step: Sendable, Equatable {
    public let id: String
    public let kind: Kind
    public let title: LocalizedText?
    public let text: LocalizedText
    public let location: FileLocation
    /// Session values this step forgets when the resident reaches it (a code the central did not know), so that the
    /// field asking for it starts empty again, by "next" or by "back".
    public var clears: [String] = []

    public enum Kind: Sendable, Equatable {
        case info(next: String)
        case choice(ChoiceStep)
        case input(InputStep)
        case identify(IdentifyStep)
        case confirm(ConfirmStep)
        case submit(SubmitStep)
        case print(PrintStep)
        case pay(PayStep)
        case done
    }

    /// The step ids this step can lead to, with where each was written.
    public var transitions: [(target: String, location: FileLocation)] {
        switch kind {
        case .info(let next): [(next, location)]
        case .identify(let i): [(i.next, location)]
        case .choice(let c): c.options.map { ($0.next, $0.location) }
        case .input(let i): [(i.next, location)]
        case .confirm(let c): [(c.next, location)]
        case .submit(let s): s.outcomes.map { ($0.value, location) }.sorted { $0.0 < $1.0 }
        case .print(let p): [(p.next, location)]
        case .pay(let p): p.outcomes.map { ($0.value, location) }.sorted { $0.0 < $1.0 }
        case .done: []
        }
    }

    /// The step kind's name as written in YAML.
    public var kindName: String {
        switch kind {
        case .info: "info"
        case .choice: "choice"
        case .input: "input"
        case .identify: "identify"
        case .confirm: "confirm"
        case .submit: "submit"
        case .print: "print"
        case .pay: "pay"
        case .done: "done"
        }
    }
}

public struct ChoiceStep: Sendable, Equatable {
    public struct Option: Sendable, Equatable {
        public let id: String
        public let label: LocalizedText
        /// Fee in euro cents, if the option costs money.
        public let feeCents: Int?
        public let next: String
        public let location: FileLocation
    }

    /// The session key the chosen option is kept under (e.g. `product`).
    public let store: String
    public let options: [Option]
}

public struct InputStep: Sendable, Equatable {
    /// The session key the value is kept under.
    public let store: String
    public let validator: Validator
    public let label: LocalizedText
    public let next: String
}

/// The checks an input step can apply. Each one is pure and has its own resident-facing error text.
public enum Validator: String, Sendable, Equatable, CaseIterable {
    case bsn
    case pickupCode
    case date
}

public struct ConfirmStep: Sendable, Equatable {
    public let summary: [SummaryField]
    /// What the confirm button says, where the kiosk's own "that's right, go on" does not fit (what happens next).
    public let button: LocalizedText?
    public let next: String
}

/// What a confirm screen can list. Personal numbers are shown masked.
public enum SummaryField: String, Sendable, Equatable, CaseIterable {
    case product, fee, name, bsn, document, pickupDocument
}

public struct SubmitStep: Sendable, Equatable {
    public let service: ServiceKind
    /// Outcome → next step. Every outcome of the service must be mapped.
    public let outcomes: [ServiceOutcome: String]
}

/// The central operations a flow can call.
public enum ServiceKind: String, Sendable, Equatable, CaseIterable, Codable {
    case extractRequest
    case lookupPickup
    case collectPickup
    case callStaff
    /// A fault raised or resolved, for staff; the daemon sends these, never a flow.
    case faultReport

    /// Whether a flow's submit step may call it.
    public var isFlowService: Bool { self != .faultReport }

    /// Whether the call only asks (a pickup looked up), so that going back past it sends nothing twice.
    public var onlyAsks: Bool { self == .lookupPickup }

    /// Whether the call changes something at the central, and so goes through the outbox.
    public var changesState: Bool { self != .lookupPickup }

    /// Whether the flow cannot go on without the central's answer (no receipt can stand in for it).
    public var needsAnswerNow: Bool { self == .lookupPickup || self == .collectPickup }

    /// The outcomes a submit step must handle for this service. `locked` needs no step: the runner sends the resident to
    /// the counter whatever the flow says.
    public var outcomes: Set<ServiceOutcome> {
        switch self {
        case .faultReport: [.accepted]
        case .extractRequest: [.accepted, .queued, .rejected, .offline]
        case .lookupPickup: [.found, .notFound, .offline]
        case .collectPickup: [.collected, .mismatch, .offline]
        case .callStaff: [.called, .offline]
        }
    }
}

public enum ServiceOutcome: String, Sendable, Equatable, Hashable, CaseIterable, Codable {
    /// `queued`: the central made a case but produces the extract later; the resident gets it by post.
    /// `locked`: the pickup code is locked after too many failed holder checks, until staff unlock it.
    case accepted, queued, rejected, found, notFound, collected, mismatch, called, offline, locked
    /// The kiosk could not even store the request (a full disk): no flow maps it; the runner says so and offers staff.
    case notTaken
}

public struct PrintStep: Sendable, Equatable {
    public let document: PrintDocument
    public let next: String
}

/// What a print step puts on paper.
public enum PrintDocument: String, Sendable, Equatable, CaseIterable, Codable {
    /// The extract from the register, as the central produced it.
    case extract
    /// A receipt with the kiosk's reference, when the request was queued offline.
    case receipt
    /// A ticket for the pickup desk.
    case pickupTicket
}
