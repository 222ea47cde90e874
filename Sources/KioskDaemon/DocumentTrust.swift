import Foundation
import KioskControl
import KioskCore
import MRTD

/// The CSCAs the kiosk trusts for passive authentication, from the config's `documents:`, loaded once at start: a master
/// list verified against its root, and single CSCA files (a test PKI). A list that does not verify stops the start.
struct DocumentTrust: Sendable {
    struct Settings: Sendable, Equatable {
        var masterList: String?
        var masterListRoot: String?
        /// A list signed longer ago than this is out of date: staff get a fault (the kiosk keeps using it).
        var maxAgeDays = 180
        var cscaFiles: [String] = []

        var isEmpty: Bool { masterList == nil && cscaFiles.isEmpty }
    }

    let store: TrustStore
    let listSignedAt: Date?
    let maxAgeDays: Int

    /// - returns: nil when nothing is configured (the pcsc driver then reports passive authentication as not checked).
    static func load(_ settings: Settings) throws(ConfigError) -> DocumentTrust? {
        guard !settings.isEmpty else { return nil }
        do {
            let (store, list) = try TrustStore.load(
                masterList: settings.masterList, root: settings.masterListRoot, cscaFiles: settings.cscaFiles)
            return DocumentTrust(store: store, listSignedAt: list?.signedAt, maxAgeDays: settings.maxAgeDays)
        } catch {
            throw ConfigError(lines: ["documents: \(error)"])
        }
    }

    /// The master list's age against its limit.
    func ageCheck(now: Date) -> HealthCheck? {
        guard let signed = listSignedAt else { return nil }
        let days = Int(now.timeIntervalSince(signed) / 86_400)
        return .of(
            "master list", failing: days > maxAgeDays, detail: "signed \(days) days ago (limit \(maxAgeDays))",
            fault: .masterListStale(days: days))
    }
}
