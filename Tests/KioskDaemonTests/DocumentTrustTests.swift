import Foundation
import KioskControl
import KioskCore
import KioskTesting
import MRTD
import Testing

@testable import KioskDaemon

/// The master list's age: past `masterListMaxAgeDays` it is a fault for staff, and the kiosk keeps using it.
@Suite struct DocumentTrustTests {
    @Test func aMasterListPastItsAgeIsAFault() throws {
        var settings = DocumentTrust.Settings()
        settings.masterList = Harness.root + "/Kiosk/csca/NL_ML_2026-07-22.ml"
        settings.masterListRoot = Harness.root + "/Kiosk/csca/NL_ROOT_CA.cer"
        settings.maxAgeDays = 180
        let trust = try #require(try DocumentTrust.load(settings))
        #expect(trust.store.count == 411)
        let signed = try #require(trust.listSignedAt)
        let young = try #require(trust.ageCheck(now: signed.addingTimeInterval(10 * 86_400)))
        #expect(young.ok)
        let old = try #require(trust.ageCheck(now: signed.addingTimeInterval(200 * 86_400)))
        #expect(!old.ok)
        #expect(old.fault?.key == "documents.master-list-stale")
        #expect(old.detail == "signed 200 days ago (limit 180)")
        #expect(try DocumentTrust.load(DocumentTrust.Settings()) == nil)
        settings.masterListRoot = settings.masterList
        #expect(throws: ConfigError.self) { try DocumentTrust.load(settings) }
    }
}
