import COpenSSL

/// A public key from a SubjectPublicKeyInfo (DG14's chip-authentication key, DG15's active-authentication key): an EC
/// key (named or explicit curve) or an RSA key, parsed by OpenSSL.
public final class PublicKey: @unchecked Sendable {
    // @unchecked: the EVP_PKEY is not changed after parsing; OpenSSL's reads of it are thread-safe.
    let pkey: OpaquePointer

    public init(subjectPublicKeyInfo bytes: [UInt8]) throws(MRTDError) {
        guard let parsed = OpenSSLCodec.decode(bytes, { d2i_PUBKEY(nil, $0, $1) }) else {
            throw .malformedStructure("a public key that does not parse: \(OpenSSLError.last())")
        }
        pkey = parsed
    }

    deinit { EVP_PKEY_free(pkey) }

    public var isRSA: Bool { EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA }
    public var isEC: Bool { EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC }

    /// "RSA-2048", "EC brainpoolP512r1".
    public var name: String {
        if isRSA { return "RSA-\(EVP_PKEY_get_bits(pkey))" }
        return "EC " + ((try? ecGroup().name) ?? "?")
    }

    /// The curve of an EC key, as a group to compute on (explicit parameters are recognised as the named curve they are).
    func ecGroup() throws(MRTDError) -> ECGroup {
        guard isEC, let key = EVP_PKEY_get0_EC_KEY(pkey), let group = EC_KEY_get0_group(key) else {
            throw .malformedStructure("the key is not an EC key")
        }
        return try ECGroup(copying: group)
    }

    /// The EC public point, uncompressed.
    func ecPoint() throws(MRTDError) -> [UInt8] {
        guard let key = EVP_PKEY_get0_EC_KEY(pkey), let group = EC_KEY_get0_group(key),
            let point = EC_KEY_get0_public_key(key)
        else { throw .malformedStructure("the key is not an EC key") }
        let size = EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, nil, 0, nil)
        var out = [UInt8](repeating: 0, count: size)
        guard size > 0, EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, &out, size, nil) == size else {
            throw .crypto("EC_POINT_point2oct")
        }
        return out
    }

    /// The RSA public operation without padding: s^e mod n, as many bytes as n (ISO 9796-2 recovers the message from it).
    func rsaRecover(_ signature: [UInt8]) throws(MRTDError) -> [UInt8] {
        guard isRSA, let rsa = EVP_PKEY_get0_RSA(pkey) else { throw .malformedStructure("the key is not an RSA key") }
        let size = Int(RSA_size(rsa))
        guard signature.count == size else {
            throw .authenticationFailed("an RSA signature of \(signature.count) bytes for a \(size)-byte key")
        }
        var out = [UInt8](repeating: 0, count: size)
        guard RSA_public_decrypt(Int32(size), signature, &out, rsa, RSA_NO_PADDING) == Int32(size) else {
            throw .authenticationFailed("the RSA signature is out of range: \(OpenSSLError.last())")
        }
        return out
    }

    /// ECDSA over `digest`, the signature in plain r‖s form (BSI TR-03111).
    func verifyECDSAPlain(_ signature: [UInt8], digest: [UInt8]) throws(MRTDError) -> Bool {
        guard let key = EVP_PKEY_get0_EC_KEY(pkey) else { throw .malformedStructure("the key is not an EC key") }
        guard !signature.isEmpty, signature.count % 2 == 0 else {
            throw .authenticationFailed("a plain ECDSA signature of \(signature.count) bytes")
        }
        let half = signature.count / 2
        guard let sig = ECDSA_SIG_new() else { throw .crypto("ECDSA_SIG_new") }
        defer { ECDSA_SIG_free(sig) }
        let r = BN_bin2bn(signature, Int32(half), nil)
        let s = Array(signature[half...]).withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32(half), nil) }
        guard ECDSA_SIG_set0(sig, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            throw .crypto("ECDSA_SIG_set0")
        }
        return ECDSA_do_verify(digest, Int32(digest.count), sig, key) == 1
    }
}
