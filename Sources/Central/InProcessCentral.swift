import Foundation
public import KioskCore

/// A stand-in for the central systems that lives inside kioskd, for the demo and tests that need no HTTP server.
///
/// It keeps its cases in memory, answers a repeated idempotency key with its first answer, knows a few seeded pickups, and can
/// be switched unreachable (`kioskctl sim central offline`) to exercise the offline branches.
public actor InProcessCentral: CentralService {
    /// A prepared document waiting at the desk, and whose it is.
    public struct Pickup: Sendable {
        public var documentKind: String
        /// The applicant's birth date (`YYMMDD`) and surname: the collect call checks the identity against them.
        public var birthDate: String
        public var surname: String

        public init(documentKind: String, birthDate: String, surname: String) {
            self.documentKind = documentKind
            self.birthDate = birthDate
            self.surname = surname
        }
    }

    private var pickups: [String: Pickup]
    private var collected: Set<String> = []
    private var answers: [String: ServiceResult] = [:]
    private var cases = 0
    private var tickets = 0
    public private(set) var staffCalls: [StaffCall] = []
    public var reachable = true
    private let latency: Duration

    /// - parameters:
    ///   - pickups: pickup code (8 characters, no dash) → document.
    ///   - latency: how long every answer takes, so fronts show their waiting state.
    public init(pickups: [String: Pickup] = InProcessCentral.demoPickups, latency: Duration = .milliseconds(300)) {
        self.pickups = pickups
        self.latency = latency
    }

    /// The demo's pickups: the ICAO specimen holder (Anna Maria Eriksson, born 12-08-1974) has a passport waiting.
    public static let demoPickups: [String: Pickup] = [
        "K7QM3XPA": Pickup(documentKind: "passport", birthDate: "740812", surname: "ERIKSSON"),
        "HW4T9RNE": Pickup(documentKind: "drivingLicence", birthDate: "740812", surname: "ERIKSSON"),
    ]

    public func setReachable(_ value: Bool) { reachable = value }

    public var caseCount: Int { cases }

    public func send(_ request: ServiceRequest, delivery: Delivery) async -> CentralAnswer {
        try? await Task.sleep(for: latency)
        guard reachable else { return .unavailable("the in-process central is switched offline", retryAfter: nil) }
        if let earlier = answers[delivery.idempotencyKey] { return .answered(earlier) }
        let result = answer(request)
        if request.changesState { answers[delivery.idempotencyKey] = result }
        return .answered(result)
    }

    private func answer(_ request: ServiceRequest) -> ServiceResult {
        switch request {
        case .extractRequest(let extract):
            guard let identity = extract.identity, let bsn = extract.bsn, !extract.product.isEmpty else {
                return ServiceResult(.rejected)
            }
            cases += 1
            let caseID = "Z-\(2026_000 + cases)"
            let text = Self.extractText(extract, identity: identity, bsn: bsn, caseID: caseID)
            return ServiceResult(.accepted, fields: ["caseId": caseID, "extractText": text])
        case .lookupPickup(let code):
            guard let pickup = pickups[code], !collected.contains(code) else { return ServiceResult(.notFound) }
            return ServiceResult(.found, fields: ["documentKind": pickup.documentKind])
        case .collectPickup(let code, let identity):
            guard let identity, let pickup = pickups[code], !collected.contains(code), pickup.birthDate == identity.birthDate,
                pickup.surname == identity.surname
            else { return ServiceResult(.mismatch) }
            collected.insert(code)
            tickets += 1
            return ServiceResult(.collected, fields: ["counter": "3", "ticket": "A" + String(format: "%03d", tickets)])
        case .callStaff(let call):
            staffCalls.append(call)
            return ServiceResult(.called)
        }
    }

    static func extractText(_ request: ExtractRequest, identity: Identity, bsn: String, caseID: String) -> String {
        let nl = request.language == .nl
        let product =
            [
                "standard": nl ? "Standaard uittreksel" : "Standard extract",
                "history": nl ? "Uittreksel met historie" : "Extract with history",
                "international": nl ? "Internationaal uittreksel" : "International extract",
            ][request.product] ?? request.product
        let birth = identity.birthDate
        let century = (Int(birth.prefix(2)) ?? 0) <= 30 ? "20" : "19"
        let date = "\(birth.suffix(2))-\(birth.dropFirst(2).prefix(2))-\(century)\(birth.prefix(2))"
        return [
            product,
            (nl ? "Zaaknummer: " : "Case number: ") + caseID,
            (nl ? "Naam: " : "Name: ") + identity.displayName,
            (nl ? "Geboortedatum: " : "Date of birth: ") + date,
            (nl ? "Nationaliteit: " : "Nationality: ") + identity.nationality,
            "BSN: " + bsn,
            nl
                ? "Gemeente Tilburg (demonstratie, geen geldig document)"
                : "Municipality of Tilburg (demonstration, not a valid document)",
        ].joined(separator: "\n")
    }
}
