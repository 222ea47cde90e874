import COpenSSL
import Foundation

/// A CMS SignedData (RFC 5652) as EF.SOD and master lists carry it: the content, its type, and the signature over it by the
/// certificate inside, all checked by OpenSSL.
final class CMSSignedData {
    let cms: OpaquePointer

    init(der bytes: [UInt8], _ what: String) throws(MRTDError) {
        guard let parsed = OpenSSLCodec.decode(bytes, { d2i_CMS_ContentInfo(nil, $0, $1) }) else {
            throw .malformedStructure("\(what) is not CMS: \(OpenSSLError.last())")
        }
        guard OBJ_obj2nid(CMS_get0_type(parsed)) == NID_pkcs7_signed else {
            CMS_ContentInfo_free(parsed)
            throw .malformedStructure("\(what) is CMS, but not SignedData")
        }
        cms = parsed
    }

    deinit { CMS_ContentInfo_free(cms) }

    /// The eContentType, dotted.
    var contentType: String {
        var buffer = [CChar](repeating: 0, count: 80)
        let length = OBJ_obj2txt(&buffer, Int32(buffer.count), CMS_get0_eContentType(cms), 1)
        return length > 0 ? String(cString: buffer) : ""
    }

    /// The encapsulated content; nil when detached.
    var content: [UInt8]? {
        guard let slot = CMS_get0_content(cms), let octets = slot.pointee, let data = ASN1_STRING_get0_data(octets) else {
            return nil
        }
        return Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(octets))))
    }

    /// Checks the one signature over the content with the signer certificate the CMS carries, and returns that certificate.
    /// Whether the signer is trusted is the caller's question (``TrustStore``).
    func verifiedSigner() throws(MRTDError) -> Certificate {
        guard let infos = CMS_get0_SignerInfos(cms), OPENSSL_sk_num(infos) == 1 else {
            throw .malformedStructure("a SignedData without exactly one signer")
        }
        let flags = UInt32(CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY)
        guard CMS_verify(cms, nil, nil, nil, nil, flags) == 1 else {
            throw .badSignature(OpenSSLError.last())
        }
        guard let signers = CMS_get0_signers(cms) else { throw .malformedStructure("no signer certificate") }
        defer { OPENSSL_sk_free(signers) }
        guard OPENSSL_sk_num(signers) == 1, let signer = OPENSSL_sk_value(signers, 0) else {
            throw .malformedStructure("no signer certificate")
        }
        return Certificate(retaining: OpaquePointer(signer))
    }

    /// The signer's signingTime attribute, when it has one.
    var signingTime: Date? {
        guard let infos = CMS_get0_SignerInfos(cms), OPENSSL_sk_num(infos) >= 1,
            let info = OPENSSL_sk_value(infos, 0)
        else { return nil }
        let index = CMS_signed_get_attr_by_NID(OpaquePointer(info), NID_pkcs9_signingTime, -1)
        guard index >= 0, let attribute = CMS_signed_get_attr(OpaquePointer(info), index) else { return nil }
        for type in [V_ASN1_UTCTIME, V_ASN1_GENERALIZEDTIME] {
            if let time = X509_ATTRIBUTE_get0_data(attribute, 0, type, nil) {
                var tm = tm()
                guard ASN1_TIME_to_tm(time.assumingMemoryBound(to: ASN1_TIME.self), &tm) == 1 else { return nil }
                return Date(timeIntervalSince1970: TimeInterval(timegm(&tm)))
            }
        }
        return nil
    }

    // MARK: - Signing (the virtual chip's SOD, test master lists)

    /// A SignedData over `content` with eContentType `type`, by `signer` with `key`, the signer's certificate included.
    static func sign(
        _ content: [UInt8], type: String, signer: Certificate, key: PrivateKey
    ) throws(MRTDError) -> [UInt8] {
        let flags = UInt32(CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP)
        guard let cms = CMS_sign(signer.x509, key.pkey, nil, nil, flags) else {
            throw .crypto("CMS_sign: \(OpenSSLError.last())")
        }
        defer { CMS_ContentInfo_free(cms) }
        let object = OBJ_txt2obj(type, 1)
        defer { ASN1_OBJECT_free(object) }
        let finished = content.withUnsafeBytes { raw -> Int32 in
            let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count))
            defer { BIO_free(bio) }
            return CMS_set1_eContentType(cms, object) == 1 ? CMS_final(cms, bio, nil, UInt32(CMS_BINARY)) : 0
        }
        guard finished == 1 else { throw .crypto("CMS_final: \(OpenSSLError.last())") }
        let der = OpenSSLCodec.encode { i2d_CMS_ContentInfo(cms, $0) }
        guard !der.isEmpty else { throw .crypto("i2d_CMS_ContentInfo") }
        return der
    }
}
