import COpenSSL

/// The two ways OpenSSL objects come in from bytes, in one place: DER through a `d2i_…` function, PEM through a memory BIO.
enum OpenSSLCodec {
    /// `d2i(nil, &cursor, count)` over `bytes`.
    static func decode(
        _ bytes: [UInt8], _ d2i: (UnsafeMutablePointer<UnsafePointer<UInt8>?>, Int) -> OpaquePointer?
    ) -> OpaquePointer? {
        bytes.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i(&cursor, buffer.count)
        }
    }

    /// `read(bio)` over a read-only memory BIO on `bytes`.
    static func readPEM(_ bytes: [UInt8], _ read: (OpaquePointer?) -> OpaquePointer?) -> OpaquePointer? {
        bytes.withUnsafeBytes { raw in
            let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count))
            defer { BIO_free(bio) }
            return read(bio)
        }
    }

    /// DER out of an `i2d_…` function, freed on OpenSSL's side.
    static func encode(_ i2d: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>) -> Int32) -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>?
        let length = i2d(&out)
        guard length > 0, let out else { return [] }
        defer { CRYPTO_free(out, nil, 0) }
        return Array(UnsafeBufferPointer(start: out, count: Int(length)))
    }

    static func isPEM(_ bytes: [UInt8]) -> Bool { bytes.starts(with: Array("-----BEGIN".utf8)) }
}
