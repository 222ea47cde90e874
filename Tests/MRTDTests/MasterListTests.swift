import Foundation
import KioskTesting
import Testing
import VirtualMRTD

@testable import MRTD

/// The Dutch master list (Kiosk/csca, from the Dutch PKD) against CSCA NL: the list's own signature, its chain to
/// the configured root, and its 411 CSCAs, most with explicit EC parameters or RSASSA-PSS.
@Suite struct MasterListTests {
    static let folder = Harness.root + "/Kiosk/csca/"
    static var list: [UInt8] {
        get throws { Array(try #require(FileManager.default.contents(atPath: folder + "NL_ML_2026-07-22.ml"))) }
    }
    static var root: Certificate {
        get throws { try Certificate(der: Array(try #require(FileManager.default.contents(atPath: folder + "NL_ROOT_CA.cer")))) }
    }

    @Test func theDutchListVerifiesAgainstCSCANLAndHoldsItsCSCAs() throws {
        let list = try MasterList(der: try Self.list, root: try Self.root)
        #expect(list.cscas.count == 411)
        #expect(list.skipped == 0)
        #expect(list.signer.subject.contains("CN=Masterlist Signer NL"))
        #expect(list.signedAt == ISO8601DateFormatter().date(from: "2026-07-23T09:35:43Z"))
        let countries = Set(list.cscas.compactMap(\.country))
        #expect(countries.isSuperset(of: ["NL", "DE", "BE", "FR"]))
        #expect(countries.count > 100)
        let store = try TrustStore(list.cscas)
        #expect(store.count == 411)
    }

    @Test func aListWithAnAlteredByteOrAnotherRootIsRefused() throws {
        var altered = try Self.list
        altered[altered.count / 2] ^= 0x01
        #expect(throws: MRTDError.self) { try MasterList(der: altered, root: try Self.root) }
        let pki = try PassiveAuthenticationTests.pki()
        let list = try Self.list
        do throws(MRTDError) {
            _ = try MasterList(der: list, root: pki.csca)
            Issue.record("a list was taken under another root")
        } catch {
            #expect(error.description.hasPrefix("not trusted: the master list's signer"))
            #expect(error.description.hasSuffix("no trusted CSCA issued it"))
        }
        #expect(throws: MRTDError.self) { try MasterList(der: [0x30, 0x03, 0x02, 0x01], root: try Self.root) }
    }
}
