import COpenSSL

/// A private key from a PEM file (a test Document Signer's, a virtual chip's), for signing in tests and the virtual chip.
package final class PrivateKey: @unchecked Sendable {
    // @unchecked: the EVP_PKEY is not changed after loading; OpenSSL's signing reads it.
    let pkey: OpaquePointer

    package init(pem bytes: [UInt8]) throws(MRTDError) {
        guard let pkey = OpenSSLCodec.readPEM(bytes, { PEM_read_bio_PrivateKey($0, nil, nil, nil) }) else {
            throw .malformedStructure("a private key that does not parse: \(OpenSSLError.last())")
        }
        self.pkey = pkey
    }

    deinit { EVP_PKEY_free(pkey) }

    /// The public half as a SubjectPublicKeyInfo (what DG14 and DG15 carry).
    package var subjectPublicKeyInfo: [UInt8] { OpenSSLCodec.encode { i2d_PUBKEY(pkey, $0) } }

    /// The curve and the private scalar of an EC key, to agree a key with (chip authentication's chip side).
    package func ecAgreement() throws(MRTDError) -> (ECGroup, [UInt8]) {
        guard let key = EVP_PKEY_get0_EC_KEY(pkey), let group = EC_KEY_get0_group(key),
            let scalar = EC_KEY_get0_private_key(key)
        else { throw .malformedStructure("not an EC private key") }
        let size = (Int(BN_num_bits(EC_GROUP_get0_order(group))) + 7) / 8
        var out = [UInt8](repeating: 0, count: size)
        guard BN_bn2binpad(scalar, &out, Int32(size)) == Int32(size) else { throw .crypto("BN_bn2binpad") }
        return (try ECGroup(copying: group), out)
    }

    /// The RSA private operation without padding (an ISO 9796-2 message is already the size of the modulus).
    package func rsaSignRaw(_ message: [UInt8]) throws(MRTDError) -> [UInt8] {
        guard let rsa = EVP_PKEY_get0_RSA(pkey) else { throw .malformedStructure("not an RSA private key") }
        var out = [UInt8](repeating: 0, count: Int(RSA_size(rsa)))
        guard RSA_private_encrypt(Int32(message.count), message, &out, rsa, RSA_NO_PADDING) == Int32(out.count) else {
            throw .crypto("RSA_private_encrypt: \(OpenSSLError.last())")
        }
        return out
    }

    /// The modulus's size in bytes, for an RSA key.
    package var rsaSize: Int? { EVP_PKEY_get0_RSA(pkey).map { Int(RSA_size($0)) } }

    /// ECDSA over `digest`, as plain r‖s, each the size of the group order.
    package func ecdsaSignPlain(_ digest: [UInt8]) throws(MRTDError) -> [UInt8] {
        guard let key = EVP_PKEY_get0_EC_KEY(pkey), let group = EC_KEY_get0_group(key) else {
            throw .malformedStructure("not an EC private key")
        }
        guard let sig = ECDSA_do_sign(digest, Int32(digest.count), key) else { throw .crypto("ECDSA_do_sign") }
        defer { ECDSA_SIG_free(sig) }
        let size = (Int(BN_num_bits(EC_GROUP_get0_order(group))) + 7) / 8
        var r = [UInt8](repeating: 0, count: size)
        var s = [UInt8](repeating: 0, count: size)
        guard BN_bn2binpad(ECDSA_SIG_get0_r(sig), &r, Int32(size)) == Int32(size),
            BN_bn2binpad(ECDSA_SIG_get0_s(sig), &s, Int32(size)) == Int32(size)
        else { throw .crypto("BN_bn2binpad") }
        return r + s
    }

    package var isRSA: Bool { EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA }
}
