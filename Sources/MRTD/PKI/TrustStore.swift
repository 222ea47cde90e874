import COpenSSL
public import Foundation

/// The country signing CAs the kiosk trusts (from a verified master list, or test CSCAs), and the check of a Document
/// Signer against them.
///
/// Every CSCA is a trust anchor of its own (partial chains allowed): master lists carry link certificates, which are not
/// self-signed. Loaded once at start; checking a signer is cheap and thread-safe.
public final class TrustStore: @unchecked Sendable {
    // @unchecked: the X509_STORE is filled in init and only read after; X509_verify_cert reads it under its own lock.
    let store: OpaquePointer
    public let certificates: [Certificate]

    public init(_ certificates: [Certificate]) throws(MRTDError) {
        guard let store = X509_STORE_new() else { throw .crypto("X509_STORE_new") }
        self.store = store
        self.certificates = certificates
        for certificate in certificates where X509_STORE_add_cert(store, certificate.x509) != 1 {
            // The same certificate twice (master lists repeat some): harmless.
            _ = OpenSSLError.last()
        }
        X509_STORE_set_flags(store, UInt(X509_V_FLAG_PARTIAL_CHAIN))
        // OpenSSL 3 refuses a CA key with explicit EC domain parameters, and most CSCAs have one (the brainpool curves
        // spelt out). That one refusal is overridden, nothing else: the CSCAs come from a master list whose signature and
        // chain were checked, so their parameters are the issuing state's, not an attacker's.
        X509_STORE_set_verify_cb(store) { ok, context in
            ok == 0 && X509_STORE_CTX_get_error(context) == X509_V_ERR_EC_KEY_EXPLICIT_PARAMS ? 1 : ok
        }
    }

    deinit { X509_STORE_free(store) }

    public var count: Int { certificates.count }

    /// Why a signer is not trusted.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// No CSCA here issued it.
        case unknownIssuer
        /// It, or the CSCA above it, is outside its validity period.
        case expired
        /// Anything else OpenSSL found (a bad signature on the certificate, a wrong key usage), with its reason.
        case invalid(String)

        public var description: String {
            switch self {
            case .unknownIssuer: "no trusted CSCA issued it"
            case .expired: "its certificate has expired"
            case .invalid(let why): why
            }
        }
    }

    /// The CSCA that issued `signer`, or why there is none. `at` is the time to check validity for (now by default).
    public func issuer(of signer: Certificate, at time: Date? = nil) -> Result<Certificate, Refusal> {
        guard let context = X509_STORE_CTX_new() else { return .failure(.invalid("X509_STORE_CTX_new failed")) }
        defer { X509_STORE_CTX_free(context) }
        guard X509_STORE_CTX_init(context, store, signer.x509, nil) == 1 else {
            return .failure(.invalid(OpenSSLError.last()))
        }
        if let time { X509_STORE_CTX_set_time(context, 0, time_t(time.timeIntervalSince1970)) }
        guard X509_verify_cert(context) == 1 else {
            let code = X509_STORE_CTX_get_error(context)
            switch code {
            case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT,
                X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
                return .failure(.unknownIssuer)
            case X509_V_ERR_CERT_HAS_EXPIRED, X509_V_ERR_CERT_NOT_YET_VALID:
                return .failure(.expired)
            default:
                return .failure(.invalid(String(cString: X509_verify_cert_error_string(Int(code)))))
            }
        }
        // The chain is signer, then its issuer: the CSCA.
        guard let chain = X509_STORE_CTX_get0_chain(context), OPENSSL_sk_num(chain) >= 2,
            let top = OPENSSL_sk_value(chain, 1)
        else { return .failure(.unknownIssuer) }
        return .success(Certificate(retaining: OpaquePointer(top)))
    }
}

extension TrustStore {
    /// The CSCAs of a master list (verified against `root`) and of single CSCA files (DER or PEM), as a kiosk is configured.
    ///
    /// - returns: the store, and the master list when one was given (for its age).
    /// - throws: ``MRTDError`` naming the file that could not be read, parsed or verified.
    public static func load(
        masterList: String?, root: String?, cscaFiles: [String]
    ) throws(MRTDError) -> (TrustStore, MasterList?) {
        func read(_ path: String) throws(MRTDError) -> [UInt8] {
            guard let data = FileManager.default.contents(atPath: path) else { throw .transport("cannot read \(path)") }
            return Array(data)
        }
        var certificates: [Certificate] = []
        var list: MasterList?
        if let masterList {
            guard let root else { throw .untrusted("a master list needs the root it is signed under") }
            let rootCertificate: Certificate
            do {
                rootCertificate = try Certificate(der: try read(root))
                list = try MasterList(der: try read(masterList), root: rootCertificate)
            } catch {
                throw .untrusted("\(masterList): \(error)")
            }
            certificates += list?.cscas ?? []
        }
        for file in cscaFiles {
            do {
                certificates.append(try Certificate(der: try read(file)))
            } catch {
                throw .untrusted("\(file): \(error)")
            }
        }
        return (try TrustStore(certificates), list)
    }
}
