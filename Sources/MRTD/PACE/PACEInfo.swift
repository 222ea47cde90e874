/// One PACEInfo from EF.CardAccess (Doc 9303-11, 9.2.1): the protocol by OID, its version, and which standardized domain
/// parameters it runs on.
public struct PACEInfo: Sendable, Equatable {
    public let oid: OID
    public let version: Int
    /// Doc 9303-11, 9.5.1: 0–2 are MODP groups, 8–18 named curves; nil when the chip has one set (PACEDomainParameterInfo).
    public let parameterID: Int?

    public init(oid: OID, version: Int, parameterID: Int?) {
        self.oid = oid
        self.version = version
        self.parameterID = parameterID
    }

    /// What the OID says, or nil for a variant the kiosk does not know.
    public var `protocol`: PACEProtocol? { PACEProtocol(oid: oid) }

    /// Whether the kiosk can run it: a known generic-mapping protocol, version 2, on standardized parameters that match the
    /// agreement (curves for ECDH, MODP groups for DH).
    public var isSupported: Bool {
        guard let proto = self.protocol, proto.mapping == .generic, version == 2, let id = parameterID,
            let domain = PACEDomain(id: id)
        else { return false }
        return domain.isElliptic == (proto.agreement == .ecdh)
    }
}
