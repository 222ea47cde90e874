import COpenSSL

/// The one place MRTD calls OpenSSL's EVP cipher and digest functions: block ciphers without padding, and hashes.
///
/// Every function checks OpenSSL's return code and turns a failure into ``MRTDError/crypto(_:)``; no OpenSSL pointer leaves
/// this file.
package enum EVP {
    /// Runs `cipher` over whole blocks of `data` with no padding; `iv` nil means ECB.
    package static func run(
        _ cipher: OpaquePointer?, key: [UInt8], _ data: [UInt8], iv: [UInt8]?, encrypt: Bool
    ) throws(MRTDError) -> [UInt8] {
        guard let cipher else { throw .crypto("the cipher is not available") }
        guard key.count == Int(EVP_CIPHER_get_key_length(cipher)) else {
            throw .crypto("a key of \(key.count) bytes for a cipher that takes \(EVP_CIPHER_get_key_length(cipher))")
        }
        let block = Int(EVP_CIPHER_get_block_size(cipher))
        guard data.count % block == 0 else { throw .crypto("data must be whole \(block)-byte blocks") }
        if data.isEmpty { return [] }
        guard let context = EVP_CIPHER_CTX_new() else { throw .crypto("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }
        var out = [UInt8](repeating: 0, count: data.count + block)
        var written: Int32 = 0
        var final: Int32 = 0
        let ok = key.withUnsafeBufferPointer { keyBytes in
            (iv ?? []).withUnsafeBufferPointer { ivBytes in
                EVP_CipherInit_ex(
                    context, cipher, nil, keyBytes.baseAddress, iv == nil ? nil : ivBytes.baseAddress, encrypt ? 1 : 0) == 1
                    && EVP_CIPHER_CTX_set_padding(context, 0) == 1
                    && EVP_CipherUpdate(context, &out, &written, data, Int32(data.count)) == 1
            }
        }
        guard ok else { throw .crypto("the block cipher failed") }
        let status = out.withUnsafeMutableBufferPointer { buffer in
            EVP_CipherFinal_ex(context, buffer.baseAddress! + Int(written), &final)
        }
        guard status == 1 else { throw .crypto("the block cipher's final block failed") }
        return Array(out[0..<Int(written + final)])
    }

    /// The hash functions the LDS and PACE use.
    package enum Digest: String, Sendable, CaseIterable {
        case sha1 = "SHA-1", sha224 = "SHA-224", sha256 = "SHA-256", sha384 = "SHA-384", sha512 = "SHA-512"

        var md: OpaquePointer? {
            switch self {
            case .sha1: EVP_sha1()
            case .sha224: EVP_sha224()
            case .sha256: EVP_sha256()
            case .sha384: EVP_sha384()
            case .sha512: EVP_sha512()
            }
        }

        /// Dotted OIDs as SOD and DG14 name them (NIST and OIW arcs).
        package init?(oid: String) {
            switch oid {
            case "1.3.14.3.2.26": self = .sha1
            case "2.16.840.1.101.3.4.2.4": self = .sha224
            case "2.16.840.1.101.3.4.2.1": self = .sha256
            case "2.16.840.1.101.3.4.2.2": self = .sha384
            case "2.16.840.1.101.3.4.2.3": self = .sha512
            default: return nil
            }
        }

        package func hash(_ data: [UInt8]) -> [UInt8] {
            var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
            var length: UInt32 = 0
            let ok = EVP_Digest(data, data.count, &out, &length, md, nil)
            // EVP_Digest fails only when the digest is missing from the library, which libcrypto always has.
            precondition(ok == 1, "EVP_Digest(\(rawValue)) failed")
            return Array(out.prefix(Int(length)))
        }
    }

    /// `count` bytes from OpenSSL's CSPRNG.
    package static func random(_ count: Int) throws(MRTDError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        guard RAND_bytes(&out, Int32(count)) == 1 else { throw .crypto("RAND_bytes failed") }
        return out
    }
}
