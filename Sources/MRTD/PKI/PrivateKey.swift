import COpenSSL

/// A private key from a PEM file (a test Document Signer's, a virtual chip's), for signing in tests and the virtual chip.
package final class PrivateKey: @unchecked Sendable {
    // @unchecked: the EVP_PKEY is not changed after loading; OpenSSL's signing reads it.
    let pkey: OpaquePointer

    package init(pem bytes: [UInt8]) throws(MRTDError) {
        guard let pkey = bytes.withUnsafeBytes({ raw -> OpaquePointer? in
            let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count))
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }) else { throw .malformedStructure("a private key that does not parse: \(OpenSSLError.last())") }
        self.pkey = pkey
    }

    deinit { EVP_PKEY_free(pkey) }
}
