/// Secure messaging (Doc 9303-11, 9.8): every command encrypted and MACed, every response MAC checked.
///
/// After BAC the cipher is triple DES with an 8-byte send sequence counter from the challenges; after PACE or chip
/// authentication it is what the protocol agreed, with a counter of one block that starts at zero. The counter goes up
/// once per command and once per response, so a replayed or dropped APDU breaks the MAC. With AES every message has its own
/// IV, E(KSenc, SSC). A response without DO'99' (the protected status) or DO'8E' (the MAC) is refused: a card that answers
/// in plain once the channel is up is not to be trusted.
public struct SecureChannel: Sendable {
    public let cipher: BlockCipher
    public let encryptionKey: [UInt8]
    public let macKey: [UInt8]
    /// The send sequence counter, one cipher block, big-endian.
    public private(set) var ssc: [UInt8]

    /// A channel with its keys and counter: `ssc` nil starts at zero (PACE, chip authentication).
    public init(cipher: BlockCipher, encryptionKey: [UInt8], macKey: [UInt8], ssc: [UInt8]? = nil) {
        self.cipher = cipher
        self.encryptionKey = encryptionKey
        self.macKey = macKey
        self.ssc = ssc ?? [UInt8](repeating: 0, count: cipher.blockSize)
    }

    /// A triple-DES channel as BAC opens it.
    public init(encryptionKey: [UInt8], macKey: [UInt8], ssc: UInt64) {
        self.init(
            cipher: .tripleDES, encryptionKey: encryptionKey, macKey: macKey,
            ssc: (0..<8).map { UInt8(truncatingIfNeeded: ssc >> (56 - 8 * $0)) })
    }

    /// Session keys from K.IFD xor K.IC, and the SSC from the two challenges.
    init(seed: [UInt8], ssc: [UInt8]) {
        let keys = BAC.Keys(seed: seed)
        self.init(cipher: .tripleDES, encryptionKey: keys.encryption, macKey: keys.mac, ssc: ssc)
    }

    /// Session keys from a shared secret (PACE, chip authentication), by the KDF of Doc 9303-11, 9.7.1.
    package init(cipher: BlockCipher, sharedSecret: [UInt8]) {
        self.init(
            cipher: cipher,
            encryptionKey: KeyDerivation.derive(sharedSecret, counter: KeyDerivation.encryptionCounter, for: cipher),
            macKey: KeyDerivation.derive(sharedSecret, counter: KeyDerivation.macCounter, for: cipher))
    }

    mutating func increment() {
        for index in ssc.indices.reversed() {
            ssc[index] &+= 1
            if ssc[index] != 0 { return }
        }
    }

    /// CBC with the IV the cipher needs: zeros for triple DES, E(KSenc, SSC) for AES.
    private func crypt(_ data: [UInt8], encrypt: Bool) throws(MRTDError) -> [UInt8] {
        let iv = cipher == .tripleDES ? nil : try cipher.encryptBlock(encryptionKey, ssc)
        return encrypt
            ? try cipher.encrypt(encryptionKey, data, iv: iv) : try cipher.decrypt(encryptionKey, data, iv: iv)
    }

    private func mac(_ data: [UInt8]) throws(MRTDError) -> [UInt8] {
        try cipher.mac(macKey, cipher.pad(ssc + data))
    }

    /// The protected form of `command`: CLA with the SM bits, DO'87' (data), DO'97' (Le), DO'8E' (MAC).
    public mutating func protect(_ command: CommandAPDU) throws(MRTDError) -> CommandAPDU {
        increment()
        let header = cipher.pad([command.cla | 0x0C, command.ins, command.p1, command.p2])
        var objects: [UInt8] = []
        if !command.data.isEmpty {
            objects += TLV.encode(0x87, [0x01] + (try crypt(cipher.pad(command.data), encrypt: true)))
        }
        // An answer longer than 256 bytes (an RSA-2048 signature) needs an extended Le, inside and outside.
        let extended = (command.le ?? 0) > 256
        if let le = command.le {
            let value = le == 65536 ? 0 : le
            objects += TLV.encode(
                0x97,
                extended ? [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] : [UInt8(truncatingIfNeeded: le == 256 ? 0 : le)])
        }
        return CommandAPDU(
            cla: command.cla | 0x0C, ins: command.ins, p1: command.p1, p2: command.p2,
            data: objects + TLV.encode(0x8E, try mac(header + objects)), le: extended ? 65536 : 256)
    }

    /// Checks and opens a protected response: its MAC over DO'87' and DO'99', then the data.
    public mutating func unprotect(_ response: ResponseAPDU) throws(MRTDError) -> ResponseAPDU {
        increment()
        if response.data.isEmpty {
            // A plain error status: the card gave up on secure messaging (6987/6988 say so); nothing here can be trusted.
            throw .status(response.sw, during: "a protected command")
        }
        let objects = try TLV.parseAll(response.data)
        guard let do99 = objects.first(where: { $0.tag == 0x99 }) else { throw .secureMessaging("the response has no DO'99'") }
        guard do99.value.count == 2 else { throw .secureMessaging("DO'99' is \(do99.value.count) bytes") }
        guard let do8E = objects.first(where: { $0.tag == 0x8E }), do8E.value.count == 8 else {
            throw .secureMessaging("the response has no MAC")
        }
        let do87 = objects.first(where: { $0.tag == 0x87 })
        guard try mac((do87?.encoded ?? []) + do99.encoded) == do8E.value else {
            throw .secureMessaging("the response MAC does not verify")
        }
        let sw = UInt16(do99.value[0]) << 8 | UInt16(do99.value[1])
        guard let do87 else { return ResponseAPDU(sw: sw) }
        guard do87.value.first == 0x01, (do87.value.count - 1) % cipher.blockSize == 0, do87.value.count > 1 else {
            throw .secureMessaging("DO'87' is not padded \(cipher) data")
        }
        guard let data = cipher.unpad(try crypt(Array(do87.value.dropFirst()), encrypt: false)) else {
            throw .secureMessaging("DO'87' padding is wrong")
        }
        return ResponseAPDU(data: data, sw: sw)
    }

    /// Sends `command` protected and returns the opened response.
    public mutating func send(_ command: CommandAPDU, over transport: some CardTransport) async throws(MRTDError)
        -> ResponseAPDU
    {
        let protected = try protect(command)
        return try unprotect(try ResponseAPDU(bytes: try await transport.transmit(protected.bytes)))
    }
}

// MARK: - The chip's side

extension SecureChannel {
    /// The chip's half of secure messaging, for the virtual eMRTD: open a protected command, seal a response.
    ///
    /// - returns: the plain command, or nil when its MAC or structure is wrong (the chip then ends the session).
    public mutating func openCommand(_ command: CommandAPDU) -> CommandAPDU? {
        increment()
        guard command.cla & 0x0C == 0x0C, let objects = try? TLV.parseAll(command.data),
            let mac = objects.first(where: { $0.tag == 0x8E })?.value
        else { return nil }
        let do87 = objects.first(where: { $0.tag == 0x87 })
        let do97 = objects.first(where: { $0.tag == 0x97 })
        let header = cipher.pad([command.cla, command.ins, command.p1, command.p2])
        guard let expected = try? self.mac(header + (do87?.encoded ?? []) + (do97?.encoded ?? [])), expected == mac else {
            return nil
        }
        var plain = CommandAPDU(cla: command.cla & ~0x0C, ins: command.ins, p1: command.p1, p2: command.p2)
        if let do87 {
            guard do87.value.first == 0x01, (do87.value.count - 1) % cipher.blockSize == 0,
                let decrypted = try? crypt(Array(do87.value.dropFirst()), encrypt: false),
                let data = cipher.unpad(decrypted)
            else { return nil }
            plain.data = data
        }
        switch do97?.value.count {
        case 1: plain.le = do97!.value[0] == 0 ? 256 : Int(do97!.value[0])
        case 2:
            let le = Int(do97!.value[0]) << 8 | Int(do97!.value[1])
            plain.le = le == 0 ? 65536 : le
        default: break
        }
        return plain
    }

    /// The protected form of a response: DO'87' with the data, DO'99' with the status, DO'8E' over both; status 9000.
    public mutating func sealResponse(_ response: ResponseAPDU) throws(MRTDError) -> ResponseAPDU {
        increment()
        var objects: [UInt8] = []
        if !response.data.isEmpty {
            objects += TLV.encode(0x87, [0x01] + (try crypt(cipher.pad(response.data), encrypt: true)))
        }
        objects += TLV.encode(0x99, [UInt8(response.sw >> 8), UInt8(response.sw & 0xFF)])
        return ResponseAPDU(data: objects + TLV.encode(0x8E, try mac(objects)), sw: 0x9000)
    }

    /// The session a chip opens after a successful EXTERNAL AUTHENTICATE.
    public static func chip(kIFD: [UInt8], kIC: [UInt8], rndIC: [UInt8], rndIFD: [UInt8]) -> SecureChannel {
        SecureChannel(seed: zip(kIFD, kIC).map { $0 ^ $1 }, ssc: Array(rndIC.suffix(4) + rndIFD.suffix(4)))
    }
}
