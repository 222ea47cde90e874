public import Foundation
public import KioskCore
public import MRTD

/// An eMRTD chip in software: EF.CardAccess in the master file, and the LDS application with PACE and/or BAC and secure
/// messaging, serving EF.COM and EF.DG1 for one MRZ.
///
/// It plays the document for tests and the demo, behind the real pcscd (through vpcd) or directly as a ``CardTransport``.
/// It behaves like a strict chip: nothing but EF.CardAccess, SELECT and the access-control commands before access control
/// (6982), a wrong key fails EXTERNAL AUTHENTICATE or the last PACE step with 6300, and a protected command with a bad MAC
/// ends the session (6988).
public final class VirtualChip {
    public static let atr: [UInt8] = [0x3B, 0x80, 0x80, 0x01, 0x01]

    public let profile: ChipProfile
    let keys: BAC.Keys
    private let profileCardAccess: [UInt8]?
    /// A dump's own EF.CardAccess, served as it was (byte for byte, not re-encoded).
    private var dumpedCardAccess: [UInt8]?
    var cardAccess: [UInt8]? { dumpedCardAccess ?? profileCardAccess }
    var files: [UInt16: [UInt8]]
    private var pace: ChipPACE
    private var appletSelected = false
    private var cardAccessSelected = false
    private var challenge: [UInt8]?
    private var channel: SecureChannel?
    private var selected: UInt16?
    /// The keys the chip proves itself with (chip and active authentication), when it has them.
    private var chipKey: PrivateKey?
    private var chipAuthenticationCipher = BlockCipher.aes128
    private var activeKey: PrivateKey?
    /// MSE:Set AT for chip authentication came, and GENERAL AUTHENTICATE may follow.
    private var chipAuthenticationSet = false

    /// How a forged document differs from a genuine one.
    public enum Tamper: String, Sendable, CaseIterable {
        /// DG1 changed after signing (a name letter: the MRZ's check digits still hold).
        case dg1
        /// A byte of the signed content changed: the Document Signer's signature no longer verifies.
        case sodSignature = "sod-signature"
        /// Signed by a Document Signer under a CSCA no kiosk trusts.
        case unknownIssuer = "unknown-issuer"
        /// The genuine data and SOD on a chip whose keys are not those of DG14 and DG15: a copy.
        case clone
    }

    /// A chip without EF.SOD (`pki` nil), or with one signed under the test PKI.
    ///
    /// - parameter mrz: the document's MRZ, TD1 or TD3; DG1 holds it as printed.
    /// - parameter profile: what the chip offers for access control (BAC only by default).
    /// - parameter pki: the test PKI whose Document Signer signs EF.SOD.
    /// - throws: an ``MRZError`` for a bad MRZ; the PKI's own error when its files cannot be read.
    public convenience init(mrz text: String, profile: ChipProfile = .bacOnly, pki: TestPKI?, tamper: Tamper? = nil) throws {
        try self.init(mrz: text, profile: profile)
        guard let pki else { return }
        var groups = [1: files[ChipReader.efDG1]!]
        // A clone has the genuine data groups, but keys of its own.
        let operational = tamper == .clone ? "-clone" : ""
        var aaDigest: EVP.Digest?
        if let aa = profile.activeAuthentication {
            let genuine = try pki.chipKey(aa)
            activeKey = try pki.chipKey(aa + operational)
            groups[15] = TLV.encode(0x6F, genuine.subjectPublicKeyInfo)
            if !genuine.isRSA { aaDigest = .sha256 }
        }
        if let ca = profile.chipAuthentication {
            let name = "ec-" + ca.curve
            chipKey = try pki.chipKey(name + operational)
            chipAuthenticationCipher = ca.cipher
            groups[14] = DataGroup14.encode(
                chipKey: try pki.chipKey(name).subjectPublicKeyInfo, cipher: ca.cipher, activeAuthenticationDigest: aaDigest)
        } else if aaDigest != nil {
            groups[14] = DataGroup14.encode(chipKey: nil, cipher: .aes128, activeAuthenticationDigest: aaDigest)
        }
        files[ChipReader.efDG14] = groups[14]
        files[ChipReader.efDG15] = groups[15]
        let tags = [0x61] + (groups[14] == nil ? [] : [0x6E]) + (groups[15] == nil ? [] : [0x6F])
        files[ChipReader.efCOM] = Self.com(listing: tags.map(UInt8.init))
        let (signer, key) = try pki.signer(tamper == .unknownIssuer ? .rogue : .valid)
        var sod = try SecurityObject.sign(groups, signer: signer, key: key)
        switch tamper {
        case .dg1:
            var dg1 = files[ChipReader.efDG1]!
            // The first letter of the names field (TD3 line 1 from 5, TD1 line 3): no check digit covers it.
            let name = dg1.count - (dg1.count == 95 ? 30 : 88) + (dg1.count == 95 ? 0 : 5)
            dg1[name] = dg1[name] == UInt8(ascii: "X") ? UInt8(ascii: "Y") : UInt8(ascii: "X")
            files[ChipReader.efDG1] = dg1
        case .sodSignature:
            let hash = EVP.Digest.sha256.hash(files[ChipReader.efDG1]!)
            if let at = sod.firstRange(of: hash)?.lowerBound { sod[at] ^= 0xFF }
        case .unknownIssuer, .clone, nil:
            break
        }
        files[ChipReader.efSOD] = sod
    }

    /// The elementary files of a document, as binary files in a folder (a dump of a real chip), by the names
    /// `dumpedFiles` gives. EF.DG1 and EF.COM are required; the access keys come from DG1's MRZ.
    public static let dumpedFiles: [(name: String, id: UInt16)] = [
        ("EF.CardAccess", ChipReader.efCardAccess), ("EF.COM", ChipReader.efCOM), ("EF.DG1", ChipReader.efDG1),
        ("EF.DG14", ChipReader.efDG14), ("EF.DG15", ChipReader.efDG15), ("EF.SOD", ChipReader.efSOD),
    ]

    /// Plays a document from its elementary files. PACE is offered as EF.CardAccess says, BAC too (a dump does not say
    /// whether the chip had it). A dump carries no private keys, so chip and active authentication fail, as they must
    /// for any copy.
    ///
    /// - throws: when EF.DG1 or EF.COM is missing, or DG1 or EF.CardAccess does not parse.
    public convenience init(dumpedFiles files: [UInt16: [UInt8]]) throws {
        guard let dg1 = files[ChipReader.efDG1], let com = files[ChipReader.efCOM] else {
            throw TestPKI.SetupError(description: "a dump needs EF.DG1 and EF.COM")
        }
        let mrzBytes = try TLV.find(0x5F1F, in: try TLV.parseAll(try TLV.find(0x61, in: try TLV.parseAll(dg1))))
        let pace = try files[ChipReader.efCardAccess].map { try SecurityInfos(der: $0).pace } ?? []
        try self.init(mrz: String(decoding: mrzBytes, as: UTF8.self), profile: ChipProfile(name: "dump", pace: pace, bac: true))
        self.files[ChipReader.efCOM] = com
        self.files[ChipReader.efDG1] = dg1
        for id in [ChipReader.efDG14, ChipReader.efDG15, ChipReader.efSOD] { self.files[id] = files[id] }
        if let access = files[ChipReader.efCardAccess] { dumpedCardAccess = access }
    }

    /// Writes the chip's elementary files into `directory`, by the names ``dumpedFiles`` gives: what a dump of it would be.
    public func dump(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, id) in Self.dumpedFiles {
            guard let bytes = id == ChipReader.efCardAccess ? cardAccess : files[id] else { continue }
            try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + name))
        }
    }

    /// EF.COM: LDS version 1.7, Unicode 4.0.0, and the list of data groups present.
    static func com(listing tags: [UInt8]) -> [UInt8] {
        TLV.encode(
            0x60, TLV.encode(0x5F01, Array("0107".utf8)) + TLV.encode(0x5F36, Array("040000".utf8)) + TLV.encode(0x5C, tags))
    }

    /// - parameter mrz: the document's MRZ, TD1 or TD3; DG1 holds it as printed.
    /// - parameter profile: what the chip offers for access control (BAC only by default).
    public init(mrz text: String, profile: ChipProfile = .bacOnly) throws(MRZError) {
        let mrz = try MRZ(text)
        self.profile = profile
        let information = mrz.accessKey.mrzInformation
        keys = BAC.Keys(mrzInformation: information)
        pace = ChipPACE(
            offered: profile.pace, mrzKey: EVP.Digest.sha1.hash(Array(information.utf8)),
            canKey: profile.can.map { Array($0.utf8) }, canOnly: profile.canOnly)
        profileCardAccess = profile.pace.isEmpty ? nil : SecurityInfos.encode(pace: profile.pace)
        let printed = Array(text.uppercased().filter { $0 != "\n" && $0 != "\r" && $0 != " " }.utf8)
        let dg1 = TLV.encode(0x61, TLV.encode(0x5F1F, printed))
        files = [ChipReader.efCOM: Self.com(listing: [0x61]), ChipReader.efDG1: dg1]
    }

    /// Power on, off or reset: back to the state of a chip that was just inserted.
    public func reset() {
        appletSelected = false
        cardAccessSelected = false
        challenge = nil
        channel = nil
        selected = nil
        chipAuthenticationSet = false
        pace.reset()
    }

    public func respond(_ bytes: [UInt8]) -> [UInt8] {
        guard let command = CommandAPDU(bytes: bytes) else { return sw(0x6700) }
        if command.cla & 0x0C == 0x0C { return protected(command) }
        if channel != nil {
            // A plain command ends the session (Doc 9303-11, 9.8.6.2). Selecting the application or EF.CardAccess again
            // starts afresh, as on real chips (a reader that did not reset the card before leaving must not lock out the
            // next one).
            let restart = command.ins == 0xA4 && (command.p1 == 0x04 || command.data == [0x01, 0x1C])
            channel = nil
            if !restart { return sw(0x6988) }
        }
        switch (command.ins, command.p1) {
        case (0xA4, 0x04):
            reset()
            appletSelected = command.data == ChipReader.applet
            return sw(appletSelected ? 0x9000 : 0x6A82)
        case (0xA4, 0x00), (0xA4, 0x02):
            // Only EF.CardAccess may be selected in plain, and only on a chip that has one.
            let wasApplet = appletSelected
            reset()
            guard command.data == [0x01, 0x1C], cardAccess != nil else {
                // The application's files exist, but not before access control.
                let known = command.data.count == 2 && files[UInt16(command.data[0]) << 8 | UInt16(command.data[1])] != nil
                appletSelected = wasApplet
                return sw(known ? 0x6982 : 0x6A82)
            }
            cardAccessSelected = true
            return sw(0x9000)
        case (0xB0, _):
            guard cardAccessSelected, let cardAccess else { return sw(0x6982) }
            return read(cardAccess, command).bytes
        case (0x84, _):
            guard profile.bac else { return sw(0x6D00) }
            guard appletSelected, command.le == 8 else { return sw(appletSelected ? 0x6700 : 0x6985) }
            var generator = SystemRandomNumberGenerator()
            let random = (0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) }
            challenge = random
            return random + [0x90, 0x00]
        case (0x82, _):
            guard profile.bac else { return sw(0x6D00) }
            return externalAuthenticate(command)
        case (0x22, _):
            guard !profile.pace.isEmpty else { return sw(0x6D00) }
            guard command.p1 == 0xC1, command.p2 == 0xA4 else { return sw(0x6A86) }
            return sw(pace.setAuthenticationTemplate(command.data))
        case (0x86, _):
            guard !profile.pace.isEmpty else { return sw(0x6D00) }
            let (answer, opened) = pace.generalAuthenticate(command)
            if let opened {
                channel = opened
                appletSelected = false
            }
            return answer.bytes
        default:
            return sw(0x6982)
        }
    }

    private func externalAuthenticate(_ command: CommandAPDU) -> [UInt8] {
        guard let rndIC = challenge else { return sw(0x6985) }
        challenge = nil
        guard command.data.count == 40 else { return sw(0x6700) }
        let eIFD = Array(command.data[0..<32])
        guard let mac = try? TripleDES.retailMAC(keys.mac, TripleDES.pad(eIFD)), mac == Array(command.data[32..<40]),
            let s = try? TripleDES.decrypt(keys.encryption, eIFD), Array(s[8..<16]) == rndIC
        else { return sw(0x6300) }
        let rndIFD = Array(s[0..<8])
        let kIFD = Array(s[16..<32])
        var generator = SystemRandomNumberGenerator()
        let kIC = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        guard let eIC = try? TripleDES.encrypt(keys.encryption, rndIC + rndIFD + kIC),
            let mIC = try? TripleDES.retailMAC(keys.mac, TripleDES.pad(eIC))
        else { return sw(0x6F00) }
        channel = SecureChannel.chip(kIFD: kIFD, kIC: kIC, rndIC: rndIC, rndIFD: rndIFD)
        return eIC + mIC + [0x90, 0x00]
    }

    private func protected(_ command: CommandAPDU) -> [UInt8] {
        guard var session = channel else { return sw(0x6982) }
        guard let plain = session.openCommand(command) else {
            channel = nil
            return sw(0x6988)
        }
        let (answer, next) = execute(plain)
        guard let sealed = try? session.sealResponse(answer) else {
            channel = nil
            return sw(0x6F00)
        }
        // Chip authentication answers under the old keys, and the next command comes under the new ones.
        channel = next ?? session
        return sealed.bytes
    }

    private func execute(_ command: CommandAPDU) -> (ResponseAPDU, SecureChannel?) {
        switch (command.ins, command.p1) {
        case (0x22, 0x41):
            guard chipKey != nil, command.p2 == 0xA4, let objects = try? TLV.parseAll(command.data),
                let oid = objects.first(where: { $0.tag == 0x80 })?.value,
                oid.starts(with: DataGroup14.chipAuthenticationArc.bytes)
            else { return (ResponseAPDU(sw: 0x6A80), nil) }
            chipAuthenticationSet = true
            return (ResponseAPDU(sw: 0x9000), nil)
        case (0x86, _):
            guard chipAuthenticationSet, let chipKey else { return (ResponseAPDU(sw: 0x6985), nil) }
            chipAuthenticationSet = false
            guard let terminal = try? PACE.dynamicAuthenticationData(command.data, tag: 0x80),
                let (group, scalar) = try? chipKey.ecAgreement(), (try? group.validate(publicKey: terminal)) != nil,
                let secret = try? group.sharedSecret(scalar, terminal)
            else { return (ResponseAPDU(sw: 0x6A80), nil) }
            return (
                ResponseAPDU(data: [0x7C, 0x00], sw: 0x9000),
                SecureChannel(cipher: chipAuthenticationCipher, sharedSecret: secret)
            )
        case (0x88, _):
            guard let activeKey, command.data.count == 8 else { return (ResponseAPDU(sw: 0x6985), nil) }
            let signature: [UInt8]? =
                if let size = activeKey.rsaSize {
                    try? activeKey.rsaSignRaw(try ActiveAuthentication.iso9796Message(command.data, size: size))
                } else {
                    try? activeKey.ecdsaSignPlain(EVP.Digest.sha256.hash(command.data))
                }
            guard let signature else { return (ResponseAPDU(sw: 0x6F00), nil) }
            return (ResponseAPDU(data: signature, sw: 0x9000), nil)
        default:
            return (executeFile(command), nil)
        }
    }

    private func executeFile(_ command: CommandAPDU) -> ResponseAPDU {
        switch (command.ins, command.p1) {
        case (0xA4, 0x04):
            // After PACE the application is selected under secure messaging.
            appletSelected = command.data == ChipReader.applet
            selected = nil
            return ResponseAPDU(sw: appletSelected ? 0x9000 : 0x6A82)
        case (0xA4, 0x02):
            guard appletSelected, command.data.count == 2 else { return ResponseAPDU(sw: appletSelected ? 0x6A86 : 0x6A82) }
            let id = UInt16(command.data[0]) << 8 | UInt16(command.data[1])
            guard files[id] != nil else { return ResponseAPDU(sw: 0x6A82) }
            selected = id
            return ResponseAPDU(sw: 0x9000)
        case (0xB0, _):
            guard let id = selected, let file = files[id] else { return ResponseAPDU(sw: 0x6986) }
            return read(file, command)
        default:
            return ResponseAPDU(sw: 0x6D00)
        }
    }

    private func read(_ file: [UInt8], _ command: CommandAPDU) -> ResponseAPDU {
        let offset = Int(command.p1 & 0x7F) << 8 | Int(command.p2)
        guard command.p1 & 0x80 == 0, offset <= file.count else { return ResponseAPDU(sw: 0x6B00) }
        let end = min(file.count, offset + (command.le ?? 256))
        return ResponseAPDU(data: Array(file[offset..<end]), sw: end - offset < (command.le ?? 256) ? 0x6282 : 0x9000)
    }

    private func sw(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
}

/// The chip as a transport, for tests and for a kiosk with no reader at all.
public actor InProcessCard: CardTransport {
    let chip: VirtualChip

    public init(_ chip: VirtualChip) { self.chip = chip }

    public func transmit(_ command: [UInt8]) async throws(MRTDError) -> [UInt8] { chip.respond(command) }
}
