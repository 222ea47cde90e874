/// Active authentication (Doc 9303-11, 6.1): the chip signs a random challenge with the private key whose public half is
/// DG15. RSA signatures are ISO/IEC 9796-2 scheme 1 (message recovery); EC ones are ECDSA in plain r‖s form over the hash
/// DG14 names.
public enum ActiveAuthentication {
    /// Sends INTERNAL AUTHENTICATE with an 8-byte challenge and checks the chip's signature.
    ///
    /// - returns: a description for the technician ("AA RSA-2048, ISO 9796-2 with SHA-256").
    /// - throws: ``MRTDError/authenticationFailed(_:)`` when the signature does not verify.
    static func perform<T: CardTransport>(
        _ session: inout CardSession<T>, dg15: [UInt8], digest: String?, challenge: [UInt8]? = nil
    ) async throws(MRTDError) -> String {
        let outer = try SecurityInfos.parse(dg15, "EF.DG15")
        guard outer.count == 1, outer[0].tag == 0x6F else { throw .malformedStructure("EF.DG15 is not one tag 6F") }
        let key = try PublicKey(subjectPublicKeyInfo: outer[0].value)
        let nonce = if let challenge { challenge } else { try EVP.random(8) }
        // An RSA signature over 1024 bits does not fit a short answer.
        let long = key.isRSA && key.name != "RSA-1024"
        let answer = try await session.send(CommandAPDU(ins: 0x88, p1: 0, p2: 0, data: nonce, le: long ? 65536 : 256))
        guard answer.isSuccess else { throw .status(answer.sw, during: "INTERNAL AUTHENTICATE") }
        if key.isRSA {
            return "AA \(key.name), ISO 9796-2 with " + (try verifyISO9796(answer.data, nonce, key))
        }
        guard key.isEC else { throw .unsupportedProtocol("active authentication with a \(key.name) key") }
        guard let name = digest, let hash = EVP.Digest(rawValue: name) else {
            throw .malformedStructure("DG14 does not say which hash the EC active-authentication signature uses")
        }
        guard try key.verifyECDSAPlain(answer.data, digest: hash.hash(nonce)) else {
            throw .authenticationFailed("the active-authentication signature does not verify")
        }
        return "AA \(key.name), ECDSA with \(name)"
    }

    /// ISO/IEC 9796-2 scheme 1, partial recovery: m = 6A ‖ M1 ‖ H(M1 ‖ challenge) ‖ trailer, where the trailer BC means
    /// SHA-1 and xx CC names the hash (34 SHA-256, 35 SHA-512, 36 SHA-384, 38 SHA-224). Returns the hash's name.
    static func verifyISO9796(_ signature: [UInt8], _ challenge: [UInt8], _ key: PublicKey) throws(MRTDError) -> String {
        let m = try key.rsaRecover(signature)
        guard m.count > 24, m[0] == 0x6A else {
            throw .authenticationFailed("the active-authentication signature does not recover a message (header)")
        }
        let digest: EVP.Digest
        let trailer: Int
        switch (m[m.count - 2], m[m.count - 1]) {
        case (_, 0xBC): (digest, trailer) = (.sha1, 1)
        case (0x34, 0xCC): (digest, trailer) = (.sha256, 2)
        case (0x35, 0xCC): (digest, trailer) = (.sha512, 2)
        case (0x36, 0xCC): (digest, trailer) = (.sha384, 2)
        case (0x38, 0xCC): (digest, trailer) = (.sha224, 2)
        default: throw .authenticationFailed("the active-authentication signature has an unknown trailer")
        }
        let hashLength = digest.hash([]).count
        guard m.count > 1 + hashLength + trailer else { throw .authenticationFailed("the recovered message is too short") }
        let m1 = Array(m[1..<(m.count - hashLength - trailer)])
        let hash = Array(m[(m.count - hashLength - trailer)..<(m.count - trailer)])
        guard digest.hash(m1 + challenge) == hash else {
            throw .authenticationFailed("the active-authentication signature does not verify")
        }
        return digest.rawValue
    }

    /// The chip's side: the ISO 9796-2 message an RSA chip signs for `challenge`, `size` bytes (the modulus's length).
    package static func iso9796Message(_ challenge: [UInt8], size: Int) throws(MRTDError) -> [UInt8] {
        let m1 = try EVP.random(size - 20 - 2)
        return [0x6A] + m1 + EVP.Digest.sha1.hash(m1 + challenge) + [0xBC]
    }
}
