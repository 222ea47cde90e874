/// Basic Access Control (Doc 9303-11, 4.3 and 9.7): keys from the MRZ, mutual authentication, session keys.
public enum BAC {
    /// Kenc and Kmac from the MRZ information (number, birth date, expiry, each with its check digit).
    public struct Keys: Sendable, Equatable {
        public var encryption: [UInt8]
        public var mac: [UInt8]

        public init(mrzInformation: String) {
            let seed = Array(EVP.Digest.sha1.hash(Array(mrzInformation.utf8)).prefix(16))
            self.init(seed: seed)
        }

        public init(seed: [UInt8]) {
            encryption = BAC.derive(seed, counter: 1)
            mac = BAC.derive(seed, counter: 2)
        }
    }

    /// Doc 9303-11, 9.7.1: SHA-1 of the seed and a 32-bit counter, the first 16 bytes, with DES parity bits set.
    static func derive(_ seed: [UInt8], counter: UInt8) -> [UInt8] {
        KeyDerivation.derive(seed, counter: counter, for: .tripleDES)
    }

    /// What the terminal picks at random for one authentication; tests pass the Appendix D values.
    public struct Nonces: Sendable {
        public var rndIFD: [UInt8]
        public var kIFD: [UInt8]

        public init(rndIFD: [UInt8], kIFD: [UInt8]) {
            self.rndIFD = rndIFD
            self.kIFD = kIFD
        }

        public static func random() -> Nonces {
            var generator = SystemRandomNumberGenerator()
            return Nonces(
                rndIFD: (0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) },
                kIFD: (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
    }

    /// GET CHALLENGE, then EXTERNAL AUTHENTICATE with the terminal's cryptogram; verifies the chip's answer and returns the
    /// secure channel with the session keys and the send sequence counter.
    ///
    /// - throws: ``MRTDError/accessDenied`` when the chip refuses the key (6300 or 6982), the chip's MAC does not verify, or
    ///   its answer does not echo our challenge: all three mean the MRZ data belongs to another document.
    public static func authenticate(
        _ transport: some CardTransport, key: DocumentKey, nonces: Nonces = .random()
    ) async throws(MRTDError) -> SecureChannel {
        try await authenticate(transport, keys: Keys(mrzInformation: key.mrzInformation), nonces: nonces)
    }

    public static func authenticate(
        _ transport: some CardTransport, keys: Keys, nonces: Nonces
    ) async throws(MRTDError) -> SecureChannel {
        let challenge = try ResponseAPDU(
            bytes: try await transport.transmit(CommandAPDU(ins: 0x84, p1: 0, p2: 0, le: 8).bytes))
        guard challenge.isSuccess else { throw .status(challenge.sw, during: "GET CHALLENGE") }
        guard challenge.data.count == 8 else { throw .truncated("GET CHALLENGE returned \(challenge.data.count) bytes") }
        let rndIC = challenge.data

        let s = nonces.rndIFD + rndIC + nonces.kIFD
        let eIFD = try TripleDES.encrypt(keys.encryption, s)
        let mIFD = try TripleDES.retailMAC(keys.mac, TripleDES.pad(eIFD))
        let command = CommandAPDU(ins: 0x82, p1: 0, p2: 0, data: eIFD + mIFD, le: 40)
        let answer = try ResponseAPDU(bytes: try await transport.transmit(command.bytes))
        switch answer.sw {
        case 0x9000: break
        case 0x6300, 0x6982: throw .accessDenied
        default: throw .status(answer.sw, during: "EXTERNAL AUTHENTICATE")
        }
        guard answer.data.count == 40 else { throw .truncated("EXTERNAL AUTHENTICATE returned \(answer.data.count) bytes") }
        let eIC = Array(answer.data[0..<32])
        guard try TripleDES.retailMAC(keys.mac, TripleDES.pad(eIC)) == Array(answer.data[32..<40]) else {
            throw .accessDenied
        }
        let r = try TripleDES.decrypt(keys.encryption, eIC)
        guard Array(r[0..<8]) == rndIC, Array(r[8..<16]) == nonces.rndIFD else { throw .accessDenied }
        let kIC = Array(r[16..<32])
        return SecureChannel(
            seed: zip(nonces.kIFD, kIC).map { $0 ^ $1 },
            ssc: Array(rndIC.suffix(4) + nonces.rndIFD.suffix(4)))
    }
}
