/// Chip authentication (Doc 9303-11, 6.2; BSI TR-03110 CA version 1, ECDH with AES): the terminal agrees a key with the
/// chip's static key from DG14 and restarts secure messaging under it. Only a chip that holds the private key can go on
/// talking, so a copy of the data on another chip fails at the next command.
public enum ChipAuthentication {
    /// Runs MSE:Set AT and GENERAL AUTHENTICATE under the current channel, then replaces the channel with the new keys.
    ///
    /// - returns: a description for the technician ("CA-ECDH-AES-256 on brainpoolP512r1").
    /// - throws: ``MRTDError`` when the chip refuses a step; whether the new channel works shows at the next command.
    static func perform<T: CardTransport>(
        _ session: inout CardSession<T>, dg14: DataGroup14, ephemeralKey: [UInt8]? = nil
    ) async throws(MRTDError) -> String {
        guard let (info, key) = dg14.preferred else {
            throw .unsupportedProtocol("DG14 offers no ECDH chip authentication with AES")
        }
        let publicKey = try PublicKey(subjectPublicKeyInfo: key.subjectPublicKeyInfo)
        let group = try publicKey.ecGroup()
        let chipPoint = try publicKey.ecPoint()
        try group.validate(publicKey: chipPoint)
        let secret = if let ephemeralKey { ephemeralKey } else { try group.randomPrivateKey() }
        let terminalPoint = try group.publicKey(of: secret)

        var template = TLV.encode(0x80, info.oid.bytes)
        if let id = info.keyID { template += TLV.encode(0x84, [UInt8(truncatingIfNeeded: id)]) }
        let set = try await session.send(CommandAPDU(ins: 0x22, p1: 0x41, p2: 0xA4, data: template))
        guard set.isSuccess else { throw .status(set.sw, during: "MSE:Set AT for chip authentication") }
        let agreed = try await session.send(
            CommandAPDU(ins: 0x86, p1: 0, p2: 0, data: TLV.encode(0x7C, TLV.encode(0x80, terminalPoint)), le: 256))
        guard agreed.isSuccess else { throw .status(agreed.sw, during: "GENERAL AUTHENTICATE for chip authentication") }
        session.channel = SecureChannel(cipher: info.cipher, sharedSecret: try group.sharedSecret(secret, chipPoint))
        return "CA-ECDH-\(info.cipher) on \(group.name)"
    }
}
