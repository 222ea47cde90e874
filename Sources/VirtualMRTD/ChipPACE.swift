import MRTD

/// The chip's half of PACE with generic mapping: answers MSE:Set AT and the four GENERAL AUTHENTICATE steps, and checks
/// the terminal's token before it opens the channel. Strict: a step out of order, a wrong chaining bit, a public key off the
/// group or a wrong token ends the attempt.
struct ChipPACE {
    let offered: [PACEInfo]
    /// f(π) for the MRZ (SHA-1 of the MRZ information) and for the CAN.
    let mrzKey: [UInt8]
    let canKey: [UInt8]?
    let canOnly: Bool

    private enum Step {
        case idle
        case set(PACEProtocol, PACEDomain, password: [UInt8])
        case nonceSent(PACEProtocol, any KeyAgreementGroup, nonce: [UInt8])
        case mapped(PACEProtocol, any KeyAgreementGroup)
        case agreed(PACEProtocol, any KeyAgreementGroup, SecureChannel, chipPublic: [UInt8], terminalPublic: [UInt8])
    }

    private var step = Step.idle

    init(offered: [PACEInfo], mrzKey: [UInt8], canKey: [UInt8]?, canOnly: Bool) {
        self.offered = offered
        self.mrzKey = mrzKey
        self.canKey = canKey
        self.canOnly = canOnly
    }

    mutating func reset() { step = .idle }

    /// MSE:Set AT: 80 protocol OID, 83 password reference, optionally 84 parameter ID.
    mutating func setAuthenticationTemplate(_ data: [UInt8]) -> UInt16 {
        step = .idle
        guard let objects = try? TLV.parseAll(data), let oid = objects.first(where: { $0.tag == 0x80 })?.value,
            let reference = objects.first(where: { $0.tag == 0x83 })?.value, reference.count == 1
        else { return 0x6A80 }
        let wanted = objects.first(where: { $0.tag == 0x84 })?.value.first.map(Int.init)
        guard
            let info = offered.first(where: {
                $0.oid.bytes == oid && (wanted == nil || $0.parameterID == wanted)
            }), let proto = info.protocol, let id = info.parameterID, let domain = PACEDomain(id: id)
        else { return 0x6A80 }
        switch reference[0] {
        case 1 where !canOnly: step = .set(proto, domain, password: mrzKey)
        case 2 where canKey != nil: step = .set(proto, domain, password: canKey!)
        default: return 0x6A88
        }
        return 0x9000
    }

    /// One GENERAL AUTHENTICATE; returns the answer and, after the last step, the channel PACE opened.
    mutating func generalAuthenticate(_ command: CommandAPDU) -> (ResponseAPDU, SecureChannel?) {
        let current = step
        step = .idle
        do {
            switch current {
            case .idle: return (ResponseAPDU(sw: 0x6985), nil)
            case .set(let proto, let domain, let password):
                guard command.cla == 0x10, try value(command, 0x80, empty: true) == [] else { break }
                let nonce = try EVP.random(proto.cipher.blockSize)
                let key = KeyDerivation.derive(password, counter: KeyDerivation.passwordCounter, for: proto.cipher)
                step = .nonceSent(proto, try domain.group(), nonce: nonce)
                return (answer(0x80, try proto.cipher.encrypt(key, nonce)), nil)
            case .nonceSent(let proto, let group, let nonce):
                guard command.cla == 0x10 else { break }
                let terminal = try value(command, 0x81)
                try group.validate(publicKey: terminal)
                let key = try group.randomPrivateKey()
                let mapped = try group.mapped(nonce: nonce, shared: try group.sharedElement(key, terminal))
                step = .mapped(proto, mapped)
                return (answer(0x82, try group.publicKey(of: key)), nil)
            case .mapped(let proto, let group):
                guard command.cla == 0x10 else { break }
                let terminal = try value(command, 0x83)
                try group.validate(publicKey: terminal)
                let key = try group.randomPrivateKey()
                let chipPublic = try group.publicKey(of: key)
                guard chipPublic != terminal else { break }
                let channel = SecureChannel(cipher: proto.cipher, sharedSecret: try group.sharedSecret(key, terminal))
                step = .agreed(proto, group, channel, chipPublic: chipPublic, terminalPublic: terminal)
                return (answer(0x84, chipPublic), nil)
            case .agreed(let proto, let group, let channel, let chipPublic, let terminalPublic):
                guard command.cla == 0x00 else { break }
                guard try value(command, 0x85) == PACE.authenticationToken(channel, proto, group, chipPublic) else {
                    return (ResponseAPDU(sw: 0x6300), nil)
                }
                return (answer(0x86, try PACE.authenticationToken(channel, proto, group, terminalPublic)), channel)
            }
        } catch {
            return (ResponseAPDU(sw: 0x6A80), nil)
        }
        return (ResponseAPDU(sw: 0x6985), nil)
    }

    private func value(_ command: CommandAPDU, _ tag: UInt32, empty: Bool = false) throws -> [UInt8] {
        let outer = try TLV.parseAll(command.data)
        guard outer.count == 1, outer[0].tag == 0x7C else { throw MRTDError.malformedStructure("no 7C") }
        if empty { return outer[0].value }
        return try PACE.dynamicAuthenticationData(command.data, tag: tag)
    }

    private func answer(_ tag: UInt32, _ value: [UInt8]) -> ResponseAPDU {
        ResponseAPDU(data: TLV.encode(0x7C, TLV.encode(tag, value)), sw: 0x9000)
    }
}
