/// Password Authenticated Connection Establishment (Doc 9303-11, 4.4; BSI TR-03110), generic mapping, on the terminal's
/// side: MSE:Set AT, then four GENERAL AUTHENTICATE steps, with both authentication tokens checked.
///
/// ```swift
/// let session = try await PACE.establish(card, info: offered, password: .mrz(key.mrzInformation))
/// var channel = session.channel   // AES or 3DES secure messaging, SSC zero
/// ```
public enum PACE {
    /// The shared secret the resident gives: the MRZ's key fields, or the 6-digit CAN printed on an ID card.
    public enum Password: Sendable, Equatable, CustomStringConvertible {
        /// Number, birth date and expiry, each with its check digit (the BAC "MRZ information").
        case mrz(String)
        case can(String)

        /// The key reference MSE:Set AT names (Doc 9303-11, 4.4.4.1).
        var reference: UInt8 {
            switch self {
            case .mrz: 1
            case .can: 2
            }
        }

        /// f(π): SHA-1 of the MRZ information, or the CAN's characters as they are.
        var key: [UInt8] {
            switch self {
            case .mrz(let information): EVP.Digest.sha1.hash(Array(information.utf8))
            case .can(let can): Array(can.utf8)
            }
        }

        public var description: String {
            switch self {
            case .mrz: "MRZ"
            case .can: "CAN"
            }
        }
    }

    /// The terminal's private keys; nil draws one at random. Tests pass those of a worked example.
    public struct TerminalKeys: Sendable {
        public var mapping: [UInt8]?
        public var ephemeral: [UInt8]?

        public init(mapping: [UInt8]? = nil, ephemeral: [UInt8]? = nil) {
            self.mapping = mapping
            self.ephemeral = ephemeral
        }

        public static let random = TerminalKeys()
    }

    /// What PACE agreed: the protocol, the parameters, and the secure channel it opened.
    public struct Session: Sendable {
        public var channel: SecureChannel
        public let `protocol`: PACEProtocol
        public let domain: PACEDomain
    }

    /// Runs PACE with `info`, which must be supported (``PACEInfo/isSupported``).
    ///
    /// - parameter namesParameters: send the parameter ID in MSE:Set AT, needed when the chip offers more than one set.
    /// - throws: ``MRTDError/accessDenied`` when the chip refuses the password (a wrong MRZ or CAN);
    ///   ``MRTDError/canRequired`` when the chip wants the CAN; ``MRTDError/authenticationFailed(_:)`` when the chip's
    ///   token does not verify; ``MRTDError/badPublicKey(_:)`` for a public key off the curve or at infinity.
    public static func establish(
        _ transport: some CardTransport, info: PACEInfo, password: Password, keys: TerminalKeys = .random,
        namesParameters: Bool = false
    ) async throws(MRTDError) -> Session {
        guard info.isSupported, let proto = info.protocol, let id = info.parameterID, let domain = PACEDomain(id: id) else {
            throw .unsupportedProtocol("PACE \(info.oid) with parameters \(info.parameterID.map(String.init) ?? "none")")
        }
        try await setAuthenticationTemplate(transport, proto, password, namesParameters ? id : nil)
        let cipher = proto.cipher

        // 1. The chip's nonce, encrypted under the password's key.
        let z = try await generalAuthenticate(transport, [], tag: 0x80, answer: 0x80, last: false)
        guard !z.isEmpty, z.count % cipher.blockSize == 0 else {
            throw .malformedStructure("an encrypted nonce of \(z.count) bytes")
        }
        let passwordKey = KeyDerivation.derive(password.key, counter: KeyDerivation.passwordCounter, for: cipher)
        let nonce = try cipher.decrypt(passwordKey, z)

        // 2. Generic mapping: exchange mapping keys, then G' = s·G + H.
        let group = try domain.group()
        let mappingKey = if let key = keys.mapping { key } else { try group.randomPrivateKey() }
        let mappingPublic = try group.publicKey(of: mappingKey)
        let chipMapping = try await generalAuthenticate(transport, mappingPublic, tag: 0x81, answer: 0x82, last: false)
        try group.validate(publicKey: chipMapping)
        guard chipMapping != mappingPublic else { throw .badPublicKey("the chip echoed the terminal's mapping key") }
        let mapped = try group.mapped(nonce: nonce, shared: try group.sharedElement(mappingKey, chipMapping))

        // 3. Key agreement on the mapped group.
        let ephemeralKey = if let key = keys.ephemeral { key } else { try mapped.randomPrivateKey() }
        let ephemeralPublic = try mapped.publicKey(of: ephemeralKey)
        let chipEphemeral = try await generalAuthenticate(transport, ephemeralPublic, tag: 0x83, answer: 0x84, last: false)
        try mapped.validate(publicKey: chipEphemeral)
        guard chipEphemeral != ephemeralPublic else { throw .badPublicKey("the chip echoed the terminal's ephemeral key") }
        let channel = SecureChannel(cipher: cipher, sharedSecret: try mapped.sharedSecret(ephemeralKey, chipEphemeral))

        // 4. Authentication tokens, each over the other side's ephemeral key.
        let token = try authenticationToken(channel, proto, mapped, chipEphemeral)
        let chipToken: [UInt8]
        do {
            chipToken = try await generalAuthenticate(transport, token, tag: 0x85, answer: 0x86, last: true)
        } catch .status(let sw, _) where sw == 0x6300 || sw == 0x6982 || sw & 0xFFF0 == 0x63C0 {
            // The chip's token check failed: the nonce it encrypted under the password is not the one we decrypted.
            throw sw == 0x63C1 || sw == 0x63C0 ? .canRequired : .accessDenied
        }
        guard chipToken == (try authenticationToken(channel, proto, mapped, ephemeralPublic)) else {
            throw .authenticationFailed("the chip's PACE authentication token does not verify")
        }
        return Session(channel: channel, protocol: proto, domain: domain)
    }

    // MARK: - Messages

    static func setAuthenticationTemplate(
        _ transport: some CardTransport, _ proto: PACEProtocol, _ password: Password, _ parameterID: Int?
    ) async throws(MRTDError) {
        var data = TLV.encode(0x80, proto.oid.bytes) + TLV.encode(0x83, [password.reference])
        if let parameterID { data += TLV.encode(0x84, [UInt8(parameterID)]) }
        let answer = try ResponseAPDU(
            bytes: try await transport.transmit(CommandAPDU(ins: 0x22, p1: 0xC1, p2: 0xA4, data: data).bytes))
        switch answer.sw {
        case 0x9000: return
        // 63C1: one try left, the password is suspended until the CAN is given; 63C0: blocked.
        case 0x63C1, 0x63C0: throw .canRequired
        // 6A88: no such password here; a chip that takes only the CAN says so for the MRZ.
        case 0x6A88 where password.reference == 1: throw .canRequired
        case 0x6A80, 0x6A88: throw .unsupportedProtocol("the chip refused MSE:Set AT for \(proto) with the \(password)")
        default: throw .status(answer.sw, during: "MSE:Set AT")
        }
    }

    /// One GENERAL AUTHENTICATE: `value` under `tag` in 7C, chained (CLA 10) but for the last; returns the chip's `answer`.
    static func generalAuthenticate(
        _ transport: some CardTransport, _ value: [UInt8], tag: UInt32, answer: UInt32, last: Bool
    ) async throws(MRTDError) -> [UInt8] {
        let inner = value.isEmpty ? [] : TLV.encode(tag, value)
        let data = TLV.encode(0x7C, inner)
        // A 2048-bit DH value needs extended lengths both ways; everything else fits a short APDU.
        let command = CommandAPDU(
            cla: last ? 0x00 : 0x10, ins: 0x86, p1: 0, p2: 0, data: data, le: data.count > 200 ? 65536 : 256)
        let response = try ResponseAPDU(bytes: try await transport.transmit(command.bytes))
        guard response.isSuccess else { throw .status(response.sw, during: "GENERAL AUTHENTICATE (\(String(tag, radix: 16)))") }
        return try dynamicAuthenticationData(response.data, tag: answer)
    }

    /// The value under `tag` in a 7C template (Doc 9303-11, 4.4.4.2); other objects may follow it (CAR, CAM data).
    public static func dynamicAuthenticationData(_ bytes: [UInt8], tag: UInt32) throws(MRTDError) -> [UInt8] {
        let outer = try SecurityInfos.parse(bytes, "dynamic authentication data")
        guard outer.count == 1, outer[0].tag == 0x7C else {
            throw .malformedStructure("dynamic authentication data is not one 7C template")
        }
        let inner = try SecurityInfos.parse(outer[0].value, "dynamic authentication data")
        guard let found = inner.first(where: { $0.tag == tag }), !found.value.isEmpty else {
            throw .malformedStructure("dynamic authentication data has no \(String(tag, radix: 16, uppercase: true))")
        }
        return found.value
    }

    /// T = MAC(KSmac, 7F49 { 06 protocol OID, 86 point | 84 value }) (Doc 9303-11, 4.4.3.4 and 9.4).
    package static func authenticationToken(
        _ channel: SecureChannel, _ proto: PACEProtocol, _ group: any KeyAgreementGroup, _ publicKey: [UInt8]
    ) throws(MRTDError) -> [UInt8] {
        let template = TLV.encode(0x7F49, proto.oid.encoded + TLV.encode(group.publicKeyTag, publicKey))
        let input = channel.cipher == .tripleDES ? channel.cipher.pad(template) : template
        return try channel.cipher.mac(channel.macKey, input)
    }
}
