/// The key derivation function of Doc 9303-11, 9.7.1: a hash of the shared secret and a 32-bit counter, cut to the key
/// length of the cipher (SHA-1 for triple DES and AES-128, SHA-256 for AES-192 and -256); triple-DES keys get DES parity.
package enum KeyDerivation {
    package static let encryptionCounter: UInt8 = 1
    package static let macCounter: UInt8 = 2
    package static let passwordCounter: UInt8 = 3

    package static func derive(_ secret: [UInt8], counter: UInt8, for cipher: BlockCipher) -> [UInt8] {
        let input = secret + [0, 0, 0, counter]
        switch cipher {
        case .tripleDES:
            return EVP.Digest.sha1.hash(input).prefix(16).map { byte in
                let ones = (byte >> 1).nonzeroBitCount
                return (byte & 0xFE) | (ones % 2 == 0 ? 1 : 0)
            }
        case .aes128: return Array(EVP.Digest.sha1.hash(input).prefix(16))
        case .aes192: return Array(EVP.Digest.sha256.hash(input).prefix(24))
        case .aes256: return EVP.Digest.sha256.hash(input)
        }
    }
}
