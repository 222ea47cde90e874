import CentralAPI
import CommonGround
import Crypto
import Foundation
import GRDB
import KioskCore

/// Pickups and contacts when the back office is the municipality's (see ``BackOfficeGateway``).
extension CentralHandler {
    static let backOfficeUnavailable = Components.Responses.Problem(
        body: .applicationProblemJson(
            .init(_type: "about:blank", title: "The back office cannot be reached", status: 503, detail: "try again later")))

    static let retryLater = Components.Responses.Unavailable(
        headers: .init(retryAfter: "30"),
        body: .applicationProblemJson(
            .init(_type: "about:blank", title: "The back office cannot be reached", status: 503, detail: "try again later")))

    func lookupInBackOffice(_ code: PickupCode, gateway: BackOfficeGateway) async throws -> Operations.LookupPickup.Output {
        let found: BackOfficeGateway.Pickup?
        do {
            found = try await gateway.pickup(code: code.value)
        } catch {
            await gateway.log("pickup lookup: \(error.description)")
            return .default(statusCode: 503, Self.backOfficeUnavailable)
        }
        let codeKey = gateway.journal.codeKey(code.value)
        guard let pickup = found, !pickup.collected,
            let kind = Components.Schemas.Pickup.DocumentKindPayload(rawValue: pickup.documentKind)
        else { return .notFound(Self.unknownPickup) }
        let failed = try await store.read { db in
            try Int.fetchOne(db, sql: "SELECT failedChecks FROM backOfficePickup WHERE code = ?", arguments: [codeKey])
        }
        return .ok(.init(body: .json(.init(documentKind: kind, locked: (failed ?? 0) >= HolderCheck.lockAfter ? true : nil))))
    }

    func collectInBackOffice(
        _ code: PickupCode, evidence: Components.Schemas.IdentityEvidence, key: String, gateway: BackOfficeGateway
    ) async throws -> Operations.CollectPickup.Output {
        let data = try Self.encoder.encode(evidence) + Data(code.value.utf8)
        do {
            if let stored = try await store.storedAnswer(key: key, operation: "collect", request: data) {
                return .ok(.init(body: .json(try Self.decoder.decode(Components.Schemas.Collection.self, from: stored.body))))
            }
        } catch CentralStore.Refusal.keyReused {
            return .conflict(Self.keyReused)
        }
        let identity = Self.identity(evidence.identity)
        let codeKey = gateway.journal.codeKey(code.value)
        let pickup: BackOfficeGateway.Pickup
        let applicant: Bool
        do {
            guard let found = try await gateway.pickup(code: code.value) else { return .notFound(Self.unknownPickup) }
            pickup = found
            applicant = found.collected ? false : try await gateway.isApplicant(found, identity: identity)
        } catch {
            await gateway.log("pickup collect: \(error.description)")
            return .serviceUnavailable(Self.retryLater)
        }
        if pickup.collected {
            return .conflict(Self.problem(409, "Already collected", "this document was handed out before"))
        }
        let failed =
            try await store.read { db in
                try Int.fetchOne(db, sql: "SELECT failedChecks FROM backOfficePickup WHERE code = ?", arguments: [codeKey])
            } ?? 0
        if applicant && failed < HolderCheck.lockAfter {
            do {
                try await gateway.collect(pickup)
            } catch {
                await gateway.log("pickup collect: \(error.description)")
                return .serviceUnavailable(Self.retryLater)
            }
        }
        let journal = gateway.journal
        let marker = await gateway.identificatie(reference: "C-" + Self.shortID(key))
        let answer = try await store.idempotent(key: key, operation: "collect", request: data) { db in
            let failed =
                try Int.fetchOne(db, sql: "SELECT failedChecks FROM backOfficePickup WHERE code = ?", arguments: [codeKey])
                ?? 0
            var body = Components.Schemas.Collection(outcome: .locked)
            if failed >= HolderCheck.lockAfter {
                // Locked: staff must unlock it.
            } else if !applicant {
                try db.execute(
                    sql: """
                        INSERT INTO backOfficePickup (code, failedChecks) VALUES (?, 1)
                        ON CONFLICT(code) DO UPDATE SET failedChecks = failedChecks + 1
                        """, arguments: [codeKey])
                body.outcome = failed + 1 >= HolderCheck.lockAfter ? .locked : .mismatch
            } else {
                let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM backOfficePickup WHERE ticket IS NOT NULL") ?? 0
                let ticket = "A" + String(format: "%03d", count + 1)
                try db.execute(
                    sql: """
                        INSERT INTO backOfficePickup (code, ticket) VALUES (?, ?)
                        ON CONFLICT(code) DO UPDATE SET ticket = excluded.ticket
                        """, arguments: [codeKey, ticket])
                body = .init(outcome: .collected, counter: "3", ticket: ticket)
                try journal.insertContact(
                    db, reference: "collect-" + key, kioskID: evidence.kioskId, marker: marker, zaak: pickup.zaak,
                    sealed: .init(
                        bsn: identity.bsn?.digits ?? "", language: "nl", subject: "Document afgehaald",
                        content: "Afhaalzaak \(pickup.identificatie) aan zuil \(evidence.kioskId) geverifieerd; naar balie 3."))
            }
            return CentralStore.Answer(status: 200, body: try Self.encoder.encode(body))
        }
        Task { await gateway.run("collect-" + key) }
        return .ok(.init(body: .json(try Self.decoder.decode(Components.Schemas.Collection.self, from: answer.body))))
    }

    /// A resident the kiosk sent to the counter (the request was refused): one contact, without personal data unless the
    /// register knows the person (`partijBSN`).
    func recordReferral(
        _ request: Components.Schemas.ExtractRequest, key: String, reason: String, partijBSN: String?,
        gateway: BackOfficeGateway
    ) async {
        let journal = gateway.journal
        let marker = await gateway.identificatie(reference: "R-" + Self.shortID(key))
        let sealed = BackOfficeJournal.Sealed(
            bsn: partijBSN ?? "", language: request.language.rawValue, subject: "Verwezen naar de balie",
            content: "Uittreksel BRP aan zuil \(request.kioskId) niet gemaakt: \(reason).")
        do {
            try await store.write { db in
                try journal.insertContact(
                    db, reference: "referral-" + key, kioskID: request.kioskId, marker: marker, zaak: nil, sealed: sealed)
            }
            Task { await gateway.run("referral-" + key) }
        } catch {
            await gateway.log("cannot journal a referral: \(error)")
        }
    }

    /// A call for staff: the flow and step, so the employee who comes over knows what the resident was doing.
    static func staffContact(_ call: Components.Schemas.StaffCall) -> BackOfficeJournal.Sealed {
        let place = [call.flow.map { "flow \($0)" }, call.step.map { "stap \($0)" }].compactMap { $0 }
            .joined(separator: ", ")
        return .init(
            bsn: "", language: call.language.rawValue, subject: "Medewerker geroepen",
            content: "Medewerker geroepen bij zuil \(call.kioskId)" + (place.isEmpty ? "." : " (\(place))."))
    }

    /// Twelve hex digits of a key's SHA-256: a marker that is the same for a retried request, and says nothing of it.
    static func shortID(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
    }
}
