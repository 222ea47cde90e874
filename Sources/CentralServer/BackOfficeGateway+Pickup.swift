import CommonGround
import Foundation
import GRDB
import KioskCore

/// Pickups from the register of cases: a zaak of a pickup zaaktype whose kenmerk is the code and whose current status is
/// "ready for collection". The applicant is the zaak's initiator rol (BSN and birth date); collecting sets the status
/// "collected". Failed holder checks are counted here, in kiosk-central's database, and lock the code at five.
extension BackOfficeGateway {
    /// A pickup waiting for collection.
    struct Pickup: Sendable {
        var documentKind: String
        var zaak: String
        var identificatie: String
        var collected: Bool
    }

    /// The zaaktype of a pickup document kind, with the two statuses a pickup goes through.
    func pickupType(_ kind: String) async throws(BackOfficeError) -> CaseType {
        try await caseType(
            config.pickup.zaaktypen[kind] ?? "", statuses: [config.pickup.ready, config.pickup.collected], documentType: nil)
    }

    /// The zaak behind a code, whichever pickup zaaktype it is of; nil when there is none.
    func pickup(code: String) async throws(BackOfficeError) -> Pickup? {
        let mapping = config.pickup
        for kind in mapping.zaaktypen.keys.sorted() {
            let type = try await pickupType(kind)
            let zaken = try await zgw.zaken(zaaktype: type.url, kenmerk: code, source: mapping.kenmerkSource)
            guard let zaak = zaken.first, let url = zaak.url else { continue }
            let current = try await zgw.currentStatus(zaak: url)?.statustype
            if current == type.statusType(mapping.collected) {
                return Pickup(documentKind: kind, zaak: url, identificatie: zaak.identificatie ?? "", collected: true)
            }
            guard current == type.statusType(mapping.ready) else { return nil }
            return Pickup(documentKind: kind, zaak: url, identificatie: zaak.identificatie ?? "", collected: false)
        }
        return nil
    }

    /// Whether the chip's holder is the zaak's applicant: the initiator's BSN and birth date.
    func isApplicant(_ pickup: Pickup, identity: Identity) async throws(BackOfficeError) -> Bool {
        let type = try await pickupType(pickup.documentKind)
        let initiators = try await zgw.rollen(zaak: pickup.zaak).filter { $0.roltype == type.initiatorRoleType }
        return initiators.contains { rol in
            guard let person = rol.betrokkeneIdentificatie, let birth = person.geboortedatum.flatMap(RegisterMatch.yymmdd)
            else { return false }
            return HolderCheck.matches(applicantBSN: person.inpBsn, applicantBirthDate: birth, identity: identity)
        }
    }

    /// Sets the status "collected", unless the zaak has it already (a retried collect).
    func collect(_ pickup: Pickup) async throws(BackOfficeError) {
        let type = try await pickupType(pickup.documentKind)
        guard let collected = type.statusType(config.pickup.collected) else { return }
        _ = try await status(
            zaak: pickup.zaak, type: collected, order: type.statusTypes.map(\.url), note: "Uitgereikt na de zuil")
    }
}
