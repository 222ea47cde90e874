public import KioskCore
public import MRTD

/// Where the chip's own types meet the kiosk's: the key a resident's MRZ (and CAN) gives, and the identity DG1 holds. MRTD
/// knows nothing of the kiosk, so the driver maps.
extension DocumentKey {
    public init(_ key: AccessKey) {
        self.init(mrzInformation: key.mrzInformation, can: key.can)
    }
}

extension DataGroup1 {
    /// The holder as the kiosk knows them, with every check digit verified by the kiosk's MRZ parser.
    ///
    /// - throws: ``MRTDError/malformedDG1(_:)`` naming the field that is wrong, never its value.
    public var identity: Identity {
        get throws(MRTDError) {
            do {
                return Identity(mrz: try MRZ(mrz))
            } catch {
                throw .malformedDG1("\(error)")
            }
        }
    }
}
