public import Foundation

/// An ICAO master list (Doc 9303-12, 9): a CMS SignedData whose content (`CscaMasterList`) is the CSCA certificates a
/// state trusts, signed by a master-list signer under that state's own CSCA.
///
/// The kiosk is configured with the list and the root it must chain to (CSCA NL for the Dutch list); a list whose
/// signature or chain does not verify is refused whole.
public struct MasterList: Sendable {
    /// id-icao-cscaMasterList.
    public static let contentType = "2.23.136.1.1.2"

    public let cscas: [Certificate]
    public let signer: Certificate
    /// When the list was signed (its signingTime), for the age check.
    public let signedAt: Date?
    /// Certificates in the list that OpenSSL could not parse: counted, not fatal.
    public let skipped: Int

    /// - throws: ``MRTDError/malformedStructure(_:)`` for a file that is no master list; ``MRTDError/badSignature(_:)``
    ///   when its signature does not verify; ``MRTDError/untrusted(_:)`` when its signer does not chain to `root`.
    public init(der bytes: [UInt8], root: Certificate, at time: Date? = nil) throws(MRTDError) {
        let cms = try CMSSignedData(der: bytes, "the master list")
        guard cms.contentType == Self.contentType else {
            throw .malformedStructure("the master list's content is \(cms.contentType), not a CSCA master list")
        }
        signer = try cms.verifiedSigner()
        if case .failure(let refusal) = try TrustStore([root]).issuer(of: signer, at: time) {
            throw .untrusted("the master list's signer (\(signer.subject)): \(refusal)")
        }
        signedAt = cms.signingTime
        guard let content = cms.content else { throw .malformedStructure("the master list has no content") }
        // CscaMasterList ::= SEQUENCE { version INTEGER, certList SET OF Certificate }
        let top = try SecurityInfos.parse(content, "the master list")
        guard top.count == 1, top[0].tag == 0x30 else { throw .malformedStructure("the master list is not one SEQUENCE") }
        let fields = try SecurityInfos.parse(top[0].value, "the master list")
        guard fields.count == 2, fields[0].tag == 0x02, fields[1].tag == 0x31 else {
            throw .malformedStructure("the master list is not a version and a SET of certificates")
        }
        var cscas: [Certificate] = []
        var skipped = 0
        for certificate in try SecurityInfos.parse(fields[1].value, "the master list's certificates") {
            if let parsed = try? Certificate(der: certificate.encoded) { cscas.append(parsed) } else { skipped += 1 }
        }
        self.cscas = cscas
        self.skipped = skipped
    }
}
