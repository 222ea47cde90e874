import Foundation
public import KioskCore

/// A stand-in for the central systems that lives inside kioskd, for the demo and the tests until the HTTP client lands.
///
/// It keeps its cases in memory, knows a few seeded pickups, and can be switched unreachable (`kioskctl sim central offline`)
/// to exercise the offline branches.
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

    private func answer() async throws(CentralError) {
        try? await Task.sleep(for: latency)
        guard reachable else { throw CentralError(.unreachable, "the in-process central is switched offline") }
    }

    public func submitExtractRequest(_ request: ExtractRequest) async throws(CentralError) -> ExtractAnswer {
        try await answer()
        guard let identity = request.identity, let bsn = request.bsn, !request.product.isEmpty else {
            return .rejected(reason: "incomplete request")
        }
        cases += 1
        let caseID = "Z-\(2026_000 + cases)"
        return .accepted(caseID: caseID, extract: Self.extractText(request, identity: identity, bsn: bsn, caseID: caseID))
    }

    public func lookupPickup(code: String) async throws(CentralError) -> PickupAnswer {
        try await answer()
        guard let pickup = pickups[code], !collected.contains(code) else { return .notFound }
        return .found(documentKind: pickup.documentKind)
    }

    public func collectPickup(code: String, identity: Identity) async throws(CentralError) -> CollectAnswer {
        try await answer()
        guard let pickup = pickups[code], !collected.contains(code), pickup.birthDate == identity.birthDate,
            pickup.surname == identity.surname
        else { return .mismatch }
        collected.insert(code)
        tickets += 1
        return .collected(counter: "3", ticket: "A" + String(format: "%03d", tickets))
    }

    public func callStaff(_ call: StaffCall) async throws(CentralError) -> StaffAnswer {
        try await answer()
        staffCalls.append(call)
        return .called
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
