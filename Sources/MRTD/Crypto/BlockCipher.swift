import COpenSSL

/// The block cipher of a secure-messaging session (Doc 9303-11, 9.8): two-key triple DES with the retail MAC (BAC, and PACE
/// where a chip asks for it), or AES with CMAC (PACE and chip authentication), both with 8-byte MACs.
public enum BlockCipher: Sendable, Equatable, CustomStringConvertible {
    case tripleDES
    case aes128, aes192, aes256

    /// 8 bytes for triple DES, 16 for AES: the padding block, and the size of the send sequence counter.
    public var blockSize: Int { self == .tripleDES ? 8 : 16 }

    public var keyLength: Int {
        switch self {
        case .tripleDES, .aes128: 16
        case .aes192: 24
        case .aes256: 32
        }
    }

    public var description: String {
        switch self {
        case .tripleDES: "3DES"
        case .aes128: "AES-128"
        case .aes192: "AES-192"
        case .aes256: "AES-256"
        }
    }

    private var cbc: OpaquePointer? {
        switch self {
        case .tripleDES: EVP_des_ede_cbc()
        case .aes128: EVP_aes_128_cbc()
        case .aes192: EVP_aes_192_cbc()
        case .aes256: EVP_aes_256_cbc()
        }
    }

    private var ecb: OpaquePointer? {
        switch self {
        case .tripleDES: EVP_des_ede_ecb()
        case .aes128: EVP_aes_128_ecb()
        case .aes192: EVP_aes_192_ecb()
        case .aes256: EVP_aes_256_ecb()
        }
    }

    /// CBC over whole blocks, no padding; the IV defaults to zeros.
    package func encrypt(_ key: [UInt8], _ data: [UInt8], iv: [UInt8]? = nil) throws(MRTDError) -> [UInt8] {
        try EVP.run(cbc, key: key, data, iv: iv ?? zeroIV, encrypt: true)
    }

    package func decrypt(_ key: [UInt8], _ data: [UInt8], iv: [UInt8]? = nil) throws(MRTDError) -> [UInt8] {
        try EVP.run(cbc, key: key, data, iv: iv ?? zeroIV, encrypt: false)
    }

    /// One block in ECB mode: the AES secure-messaging IV is E(KSenc, SSC).
    package func encryptBlock(_ key: [UInt8], _ block: [UInt8]) throws(MRTDError) -> [UInt8] {
        try EVP.run(ecb, key: key, block, iv: nil, encrypt: true)
    }

    /// The 8-byte MAC: ISO 9797-1 algorithm 3 for triple DES (`data` padded by the caller), CMAC truncated for AES.
    package func mac(_ key: [UInt8], _ data: [UInt8]) throws(MRTDError) -> [UInt8] {
        switch self {
        case .tripleDES: return try TripleDES.retailMAC(key, data)
        case .aes128, .aes192, .aes256: return Array(try cmac(key, data).prefix(8))
        }
    }

    /// ISO 9797-1 padding method 2 to this cipher's block size.
    package func pad(_ data: [UInt8]) -> [UInt8] {
        var out = data + [0x80]
        while out.count % blockSize != 0 { out.append(0) }
        return out
    }

    /// Removes method-2 padding; nil when it is not there or longer than a block.
    package func unpad(_ data: [UInt8]) -> [UInt8]? {
        guard let marker = data.lastIndex(where: { $0 != 0 }), data[marker] == 0x80, data.count - marker <= blockSize
        else { return nil }
        return Array(data[..<marker])
    }

    private var zeroIV: [UInt8] { [UInt8](repeating: 0, count: blockSize) }

    /// NIST SP 800-38B CMAC, the full 16 bytes.
    private func cmac(_ key: [UInt8], _ data: [UInt8]) throws(MRTDError) -> [UInt8] {
        guard key.count == keyLength else { throw .crypto("a CMAC key of \(key.count) bytes for \(self)") }
        guard let context = CMAC_CTX_new() else { throw .crypto("CMAC_CTX_new") }
        defer { CMAC_CTX_free(context) }
        var out = [UInt8](repeating: 0, count: 16)
        var length = 0
        guard CMAC_Init(context, key, key.count, cbc, nil) == 1, CMAC_Update(context, data, data.count) == 1,
            CMAC_Final(context, &out, &length) == 1, length == 16
        else { throw .crypto("CMAC failed") }
        return out
    }
}
