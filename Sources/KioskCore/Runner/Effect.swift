/// Work the runner asks the daemon to do. The daemon does it and feeds the answer back as a ``KioskEvent``.
public enum Effect: Sendable, Equatable {
    /// Start (or restart) the single inactivity timer; it answers with `.timer(token)`.
    case startTimer(token: Int, seconds: Int)
    case cancelTimer
    /// Open the chip on the reader with this key and read its identity; answers with `.cardRead`.
    case readCard(request: Int, AccessKey)
    /// Call a central service; answers with `.serviceResult`.
    case callService(request: Int, ServiceRequest)
    /// Print; answers with `.printed`.
    case print(request: Int, PrintJob)
    /// Collect a payment on the terminal; answers with `.paid`, and meanwhile `.paymentPrompt` with the terminal's texts.
    case pay(request: Int, PaymentOrder)
    /// The resident cancelled on the kiosk's screen: ask the terminal to abort; the payment still answers with `.paid`.
    case abortPayment(request: Int)
    /// The session's personal data is gone from the state; drivers should forget theirs too.
    case sessionEnded(SessionEnd)
}

/// Why a session ended, for counters and logs (never with personal data).
public enum SessionEnd: String, Sendable, Equatable {
    case finished, stopped, timedOut, handedToStaff
}

/// A call to the municipality's central systems, with the data the flow collected.
public enum ServiceRequest: Sendable, Equatable, Codable {
    case extractRequest(ExtractRequest)
    case lookupPickup(code: String)
    case collectPickup(code: String, identity: Identity?)
    case callStaff(StaffCall)
    case reportFault(FaultReport)
    /// Faults for one staff alert sink (Alertmanager, a webhook), as the outbox carries them.
    case deliverAlert(AlertBatch)

    public var kind: ServiceKind {
        switch self {
        case .reportFault, .deliverAlert: .faultReport
        case .extractRequest: .extractRequest
        case .lookupPickup: .lookupPickup
        case .collectPickup: .collectPickup
        case .callStaff: .callStaff
        }
    }
}

extension ServiceRequest {
    /// The outbox delivers each queue in order, and one queue's outage never holds up another: every alert sink has its own.
    public var queue: String {
        if case .deliverAlert(let batch) = self { return "alert:" + batch.sink }
        return kind.rawValue
    }
}

public struct ExtractRequest: Sendable, Equatable, Codable, CustomStringConvertible, CustomDebugStringConvertible {
    public var product: String
    public var feeCents: Int?
    public var bsn: String?
    /// Where the BSN came from. Nil only in requests queued before the kiosk said so; the central treats those as typed.
    public var bsnSource: BSNSource?
    public var identity: Identity?
    public var language: Language
    /// The approved payment for this request, if it cost money.
    public var payment: PaymentRecord?

    public init(
        product: String, feeCents: Int?, bsn: String?, bsnSource: BSNSource? = nil, identity: Identity?, language: Language,
        payment: PaymentRecord? = nil
    ) {
        self.product = product
        self.feeCents = feeCents
        self.bsn = bsn
        self.bsnSource = bsnSource
        self.identity = identity
        self.language = language
        self.payment = payment
    }

    /// Personal data: only the product shows.
    public var description: String { "ExtractRequest(\(product), redacted)" }
    public var debugDescription: String { description }
}

/// Where a request's BSN came from: the chip of a Dutch document, or typed by the resident (a foreign document carries
/// none), in which case the central must check it against the register before it trusts it.
public enum BSNSource: String, Sendable, Equatable, Codable {
    case chip, typed
}

/// Where the resident was when they asked for help. No personal data: staff come to the kiosk and ask.
public struct StaffCall: Sendable, Equatable, Codable {
    public var flow: String?
    public var step: String?
    public var language: Language

    public init(flow: String?, step: String?, language: Language) {
        self.flow = flow
        self.step = step
        self.language = language
    }
}

/// A document to print, already in the resident's language. Rendering (PDF, layout) is the printer driver's job.
///
/// An extract comes ready-made from the central: `documentID` names it, and the daemon hands its PDF to the printer as it is.
public struct PrintJob: Sendable, Equatable {
    public var document: PrintDocument
    public var title: String
    public var lines: [String]
    public var documentID: String?
    /// What the ticket's QR code holds: the kiosk reference of the request, so staff can look it up.
    public var code: String?
    /// The payment terminal's receipt, printed with the document (after a ready-made extract, on a ticket of its own).
    public var paymentReceipt: [String]

    public init(
        document: PrintDocument, title: String, lines: [String], documentID: String? = nil, code: String? = nil,
        paymentReceipt: [String] = []
    ) {
        self.document = document
        self.title = title
        self.lines = lines
        self.documentID = documentID
        self.code = code
        self.paymentReceipt = paymentReceipt
    }
}
