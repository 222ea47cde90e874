import KioskCore
import SmartCard

@testable import MRTD

/// The tests hold the kiosk's keys and compare the kiosk's identities; the reader takes and gives MRTD's own types, and the
/// driver's mapping (SmartCard) joins them, as in the kiosk.
extension ChipReader {
    static func readIdentity(
        _ transport: some CardTransport, key: AccessKey, can: String? = nil, trust: TrustStore? = nil
    ) async throws(MRTDError) -> Result {
        try await read(transport, key: DocumentKey(key.with(can: can ?? key.can)), trust: trust)
    }
}

extension ChipReader.Result {
    var identity: Identity { get throws(MRTDError) { try dg1.identity } }
}
