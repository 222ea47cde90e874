public import Foundation
public import KioskCore

/// A stand-in for the central systems that lives inside kioskd, for the demo and tests that need no HTTP server.
///
/// It keeps its cases in memory, answers a repeated idempotency key with its first answer, knows a few seeded pickups, and can
/// be switched unreachable (`kioskctl sim central offline`) to exercise the offline branches.
public actor InProcessCentral: CentralService {
    /// A prepared document waiting at the desk, and whose it is.
    public struct Pickup: Sendable {
        public var documentKind: String
        /// The applicant's BSN and birth date (`YYMMDD`): the collect call checks the chip against them (``HolderCheck``).
        public var bsn: String
        public var birthDate: String

        public init(documentKind: String, bsn: String, birthDate: String) {
            self.documentKind = documentKind
            self.bsn = bsn
            self.birthDate = birthDate
        }
    }

    private var pickups: [String: Pickup]
    private var collected: Set<String> = []
    /// Failed holder checks per code; at ``HolderCheck/lockAfter`` the code is locked.
    private var failedChecks: [String: Int] = [:]
    private var answers: [String: CentralAnswer] = [:]
    private var cases = 0
    /// Paid requests per day: count and amount, for the day's closure.
    private var paid: [String: (Int, Int)] = [:]

    public func paymentDay(_ day: String) async -> PaymentDayAnswer {
        let (count, cents) = paid[day] ?? (0, 0)
        return .recorded(count: count, amountCents: cents)
    }
    private var tickets = 0
    public private(set) var staffCalls: [StaffCall] = []
    /// Faults the kiosk reported and has not resolved, by key.
    public private(set) var faults: [String: Fault] = [:]
    public var reachable = true
    private let latency: Duration
    private let catalogue: ProductCatalogue
    private let drawExtract: ExtractDrawer?

    /// Draws the demonstration extract of a request; kioskd passes one that draws with cairo, so that this module does
    /// not link it.
    public typealias ExtractDrawer = @Sendable (DemonstrationExtract) throws -> Data

    /// - parameters:
    ///   - pickups: pickup code (8 characters, no dash) → document.
    ///   - latency: how long every answer takes, so fronts show their waiting state.
    ///   - catalogue: the products it takes requests for (the flows' product choice).
    ///   - drawExtract: draws a produced extract; without one, every request is queued for the back office.
    public init(
        pickups: [String: Pickup] = InProcessCentral.demoPickups, latency: Duration = .milliseconds(300),
        catalogue: ProductCatalogue, drawExtract: ExtractDrawer? = nil
    ) {
        self.pickups = pickups
        self.latency = latency
        self.catalogue = catalogue
        self.drawExtract = drawExtract
    }

    /// The demo's pickups: the Dutch specimen holder (Willeke Liselotte de Bruijn, born 10-03-1965, BSN 999999990) has a
    /// passport and a driving licence waiting.
    public static let demoPickups: [String: Pickup] = [
        "K7QM3XPA": Pickup(documentKind: "passport", bsn: "999999990", birthDate: "650310"),
        "HW4T9RNE": Pickup(documentKind: "drivingLicence", bsn: "999999990", birthDate: "650310"),
    ]

    public func setReachable(_ value: Bool) { reachable = value }

    public var caseCount: Int { cases }

    public func send(_ request: ServiceRequest, delivery: Delivery) async -> CentralAnswer {
        try? await Task.sleep(for: latency)
        guard reachable else { return .unavailable("the in-process central is switched offline", retryAfter: nil) }
        if let earlier = answers[delivery.idempotencyKey] { return earlier }
        let answer = answer(request, delivery)
        if request.changesState, case .answered(let result, _) = answer {
            // The replay keeps no document: the extract holds personal data, and it was handed out once already.
            answers[delivery.idempotencyKey] = .answered(result)
        }
        return answer
    }

    private func answer(_ request: ServiceRequest, _ delivery: Delivery) -> CentralAnswer {
        switch request {
        case .extractRequest(let extract):
            guard let identity = extract.identity, let bsn = extract.bsn, let product = catalogue.product(extract.product)
            else { return .answered(ServiceResult(.rejected)) }
            cases += 1
            if let payment = extract.payment {
                let (count, cents) = paid[payment.day] ?? (0, 0)
                paid[payment.day] = (count + 1, cents + payment.amountCents)
            }
            let caseID = "Z-\(2026_000 + cases)"
            let drawn = DemonstrationExtract(
                title: product.title, caseID: caseID, reference: delivery.reference, bsn: bsn, identity: identity,
                language: extract.language)
            guard extract.product != "international", let pdf = try? drawExtract?(drawn) else {
                return .answered(ServiceResult(.queued, fields: ["caseId": caseID]))
            }
            let id = "in-process-\(cases)"
            return .answered(
                ServiceResult(.accepted, fields: ["caseId": caseID, "documentId": id]),
                document: ProducedDocument(id: id, pdf: pdf))
        case .lookupPickup(let code):
            guard let pickup = pickups[code], !collected.contains(code) else { return .answered(ServiceResult(.notFound)) }
            if failedChecks[code, default: 0] >= HolderCheck.lockAfter { return .answered(ServiceResult(.locked)) }
            return .answered(ServiceResult(.found, fields: ["documentKind": pickup.documentKind]))
        case .collectPickup(let code, let identity):
            guard let pickup = pickups[code], !collected.contains(code) else { return .answered(ServiceResult(.mismatch)) }
            if failedChecks[code, default: 0] >= HolderCheck.lockAfter { return .answered(ServiceResult(.locked)) }
            guard let identity,
                HolderCheck.matches(applicantBSN: pickup.bsn, applicantBirthDate: pickup.birthDate, identity: identity)
            else {
                failedChecks[code, default: 0] += 1
                return .answered(ServiceResult(failedChecks[code]! >= HolderCheck.lockAfter ? .locked : .mismatch))
            }
            collected.insert(code)
            tickets += 1
            return .answered(
                ServiceResult(.collected, fields: ["counter": "3", "ticket": "A" + String(format: "%03d", tickets)]))
        case .reportFault(let report):
            if report.change == .raised { faults[report.fault.key] = report.fault } else { faults[report.fault.key] = nil }
            return .answered(ServiceResult(.accepted))
        case .deliverAlert(let batch):
            return .refused("alerts for sink \(batch.sink) are not for the central")
        case .callStaff(let call):
            staffCalls.append(call)
            return .answered(ServiceResult(.called))
        }
    }
}
