public import Foundation

/// Passive authentication (Doc 9303-11, 5.1): EF.SOD's signature verifies with its Document Signer, the DS chains to a
/// trusted CSCA, and every data group read hashes to what the SOD says. Proves the data is the issuer's, not that the chip
/// is genuine (chip and active authentication do that).
public enum PassiveAuthentication {
    public enum Outcome: Sendable, Equatable, CustomStringConvertible {
        /// The issuer's data: the issuing country (from the DS), the DS and the CSCA that issued it.
        case valid(country: String, documentSigner: String, csca: String)
        /// A data group whose hash is not the SOD's, or that the SOD does not list.
        case dataAltered(dataGroup: Int)
        /// The DS does not chain to any CSCA the kiosk trusts.
        case unknownIssuer(documentSigner: String)
        /// The SOD's signature does not verify, its DS has expired, or the SOD does not parse.
        case invalid(String)

        public var isValid: Bool { if case .valid = self { true } else { false } }

        public var description: String {
            switch self {
            case .valid(let country, let signer, let csca): "valid: issued by \(country), DS \(signer), CSCA \(csca)"
            case .dataAltered(let number): "data altered: DG\(number) does not match the SOD"
            case .unknownIssuer(let signer): "unknown issuer: no trusted CSCA issued the DS \(signer)"
            case .invalid(let why): "invalid: \(why)"
            }
        }
    }

    /// - parameters:
    ///   - dataGroups: data-group number → the file as read (DG1, and DG14 and DG15 when read).
    ///   - time: when to check certificate validity; now by default.
    public static func verify(
        sod: [UInt8], dataGroups: [Int: [UInt8]], trust: TrustStore, at time: Date? = nil
    ) -> Outcome {
        let security: SecurityObject
        let signer: Certificate
        do {
            security = try SecurityObject(sod: sod)
            signer = try security.cms.verifiedSigner()
        } catch {
            return .invalid("\(error)")
        }
        switch trust.issuer(of: signer, at: time) {
        case .failure(.unknownIssuer): return .unknownIssuer(documentSigner: signer.subject)
        case .failure(let refusal): return .invalid("the Document Signer \(signer.subject): \(refusal)")
        case .success(let csca):
            guard let digest = EVP.Digest(rawValue: security.digest) else { return .invalid("hash \(security.digest)") }
            for (number, bytes) in dataGroups.sorted(by: { $0.key < $1.key }) {
                guard let expected = security.hashes[number], expected == digest.hash(bytes) else {
                    return .dataAltered(dataGroup: number)
                }
            }
            return .valid(country: signer.country ?? csca.country ?? "?", documentSigner: signer.subject, csca: csca.subject)
        }
    }
}
