import COpenSSL

/// Two-key triple DES and the ISO 9797-1 retail MAC, as BAC and its secure messaging need them (Doc 9303-11, 9.8).
///
/// From OpenSSL's libcrypto: swift-crypto has no DES at all. The retail MAC needs single DES, which OpenSSL 3 keeps in its
/// legacy provider only (not loaded by default, and not on every system), so single DES is done as DES-EDE with K1 = K2,
/// which is the same function: E_K(D_K(E_K(x))) = E_K(x). The Appendix D vectors check all of it byte for byte.
public enum TripleDES {
    public static let zeroIV = [UInt8](repeating: 0, count: 8)

    /// 3DES-CBC with a 16-byte key (K1, K2, K1) and no padding; `data` must be whole blocks.
    public static func encrypt(_ key: [UInt8], _ data: [UInt8], iv: [UInt8] = zeroIV) throws(MRTDError) -> [UInt8] {
        try run(EVP_des_ede_cbc(), key, data, iv: iv, encrypt: true)
    }

    public static func decrypt(_ key: [UInt8], _ data: [UInt8], iv: [UInt8] = zeroIV) throws(MRTDError) -> [UInt8] {
        try run(EVP_des_ede_cbc(), key, data, iv: iv, encrypt: false)
    }

    /// ISO 9797-1 MAC algorithm 3 ("retail MAC") with a 16-byte key Ka‖Kb over `data`, which must already be padded.
    public static func retailMAC(_ key: [UInt8], _ data: [UInt8]) throws(MRTDError) -> [UInt8] {
        guard key.count == 16 else { throw .crypto("a MAC key must be 16 bytes") }
        let ka = Array(key[0..<8])
        let kb = Array(key[8..<16])
        // Single DES CBC with Ka over every block, then decrypt with Kb and encrypt with Ka (the final transformation).
        let chained = try run(EVP_des_ede_cbc(), ka + ka, data, iv: zeroIV, encrypt: true)
        let last = Array(chained.suffix(8))
        let middle = try run(EVP_des_ede_ecb(), kb + kb, last, iv: nil, encrypt: false)
        return try run(EVP_des_ede_ecb(), ka + ka, middle, iv: nil, encrypt: true)
    }

    /// ISO 9797-1 padding method 2: 80, then zeros up to a whole block.
    public static func pad(_ data: [UInt8]) -> [UInt8] {
        var out = data + [0x80]
        while out.count % 8 != 0 { out.append(0) }
        return out
    }

    /// Removes method-2 padding; nil when it is not there.
    public static func unpad(_ data: [UInt8]) -> [UInt8]? {
        guard let marker = data.lastIndex(where: { $0 != 0 }), data[marker] == 0x80, data.count - marker <= 8 else {
            return nil
        }
        return Array(data[..<marker])
    }

    private static func run(
        _ cipher: OpaquePointer?, _ key: [UInt8], _ data: [UInt8], iv: [UInt8]?, encrypt: Bool
    ) throws(MRTDError) -> [UInt8] {
        guard key.count == 16 else { throw .crypto("a 3DES key must be 16 bytes") }
        guard data.count % 8 == 0 else { throw .crypto("3DES data must be whole 8-byte blocks") }
        return try EVP.run(cipher, key: key, data, iv: iv, encrypt: encrypt)
    }
}
