public import KioskCore
public import MRTD

/// An eMRTD chip in software: the LDS applet with BAC and 3DES secure messaging, serving EF.COM and EF.DG1 for one MRZ.
///
/// It plays the document for tests and the demo, behind the real pcscd (through vpcd) or directly as a ``CardTransport``.
/// It behaves like a strict chip: nothing but SELECT and GET CHALLENGE before BAC (6982), a wrong key fails EXTERNAL
/// AUTHENTICATE with 6300, and a protected command with a bad MAC ends the session (6988).
public final class VirtualChip {
    public static let atr: [UInt8] = [0x3B, 0x80, 0x80, 0x01, 0x01]

    let keys: BAC.Keys
    let files: [UInt16: [UInt8]]
    private var appletSelected = false
    private var challenge: [UInt8]?
    private var channel: SecureChannel?
    private var selected: UInt16?

    /// - parameter mrz: the document's MRZ, TD1 or TD3; DG1 holds it as printed.
    public init(mrz text: String) throws(MRZError) {
        let mrz = try MRZ(text)
        keys = BAC.Keys(mrzInformation: mrz.accessKey.mrzInformation)
        let printed = Array(text.uppercased().filter { $0 != "\n" && $0 != "\r" && $0 != " " }.utf8)
        let dg1 = TLV.encode(0x61, TLV.encode(0x5F1F, printed))
        // EF.COM: LDS version 1.7, Unicode 4.0.0, and the list of data groups present (only DG1 here).
        let com = TLV.encode(
            0x60,
            TLV.encode(0x5F01, Array("0107".utf8)) + TLV.encode(0x5F36, Array("040000".utf8)) + TLV.encode(0x5C, [0x61]))
        files = [ChipReader.efCOM: com, ChipReader.efDG1: dg1]
    }

    /// Power on, off or reset: back to the state of a chip that was just inserted.
    public func reset() {
        appletSelected = false
        challenge = nil
        channel = nil
        selected = nil
    }

    public func respond(_ bytes: [UInt8]) -> [UInt8] {
        guard let command = CommandAPDU(bytes: bytes) else { return sw(0x6700) }
        if command.cla & 0x0C == 0x0C { return protected(command) }
        if channel != nil {
            // A plain command ends the session (Doc 9303-11, 9.8.6.2). Selecting the application again starts afresh, as
            // on real chips (a reader that did not reset the card before leaving must not lock out the next one).
            channel = nil
            if !(command.ins == 0xA4 && command.p1 == 0x04) { return sw(0x6988) }
        }
        switch (command.ins, command.p1) {
        case (0xA4, 0x04):
            reset()
            appletSelected = command.data == ChipReader.applet
            return sw(appletSelected ? 0x9000 : 0x6A82)
        case (0x84, _):
            guard appletSelected, command.le == 8 else { return sw(appletSelected ? 0x6700 : 0x6985) }
            var generator = SystemRandomNumberGenerator()
            let random = (0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) }
            challenge = random
            return random + [0x90, 0x00]
        case (0x82, _): return externalAuthenticate(command)
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
        let answer = execute(plain)
        guard let sealed = try? session.sealResponse(answer) else {
            channel = nil
            return sw(0x6F00)
        }
        channel = session
        return sealed.bytes
    }

    private func execute(_ command: CommandAPDU) -> ResponseAPDU {
        switch command.ins {
        case 0xA4:
            guard command.p1 == 0x02, command.data.count == 2 else { return ResponseAPDU(sw: 0x6A86) }
            let id = UInt16(command.data[0]) << 8 | UInt16(command.data[1])
            guard files[id] != nil else { return ResponseAPDU(sw: 0x6A82) }
            selected = id
            return ResponseAPDU(sw: 0x9000)
        case 0xB0:
            guard let id = selected, let file = files[id] else { return ResponseAPDU(sw: 0x6986) }
            let offset = Int(command.p1 & 0x7F) << 8 | Int(command.p2)
            guard offset <= file.count else { return ResponseAPDU(sw: 0x6B00) }
            let end = min(file.count, offset + (command.le ?? 256))
            let data = Array(file[offset..<end])
            return ResponseAPDU(data: data, sw: end - offset < (command.le ?? 256) ? 0x6282 : 0x9000)
        default:
            return ResponseAPDU(sw: 0x6D00)
        }
    }

    private func sw(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
}

/// The chip as a transport, for tests and for a kiosk with no reader at all.
public actor InProcessCard: CardTransport {
    let chip: VirtualChip

    public init(_ chip: VirtualChip) { self.chip = chip }

    public func transmit(_ command: [UInt8]) async throws(MRTDError) -> [UInt8] { chip.respond(command) }
}
