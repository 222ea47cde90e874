import ArgumentParser
import Foundation
import KioskCore
import MRTD
import VirtualMRTD

/// A virtual passport or ID card behind the real pcscd: connects to vsmartcard's vpcd driver and plays an eMRTD chip for one
/// MRZ. The card is on the reader while this runs; stop it (SIGTERM) to take the card away.
@main
struct KioskEMRTD: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk-emrtd",
        abstract: "Play an ICAO 9303 chip (PACE and/or BAC, DG1) on pcscd's vpcd virtual reader.",
        discussion: """
            Profiles: \(ChipProfile.all.map(\.name).joined(separator: ", ")).
              nl-passport-2025  PACE-ECDH-GM-AES-256 on brainpoolP320r1, no BAC (Dutch passports since July 2022)
              nl-id-2021        PACE-ECDH-GM-AES-128 on P-256, no BAC (Dutch ID cards since August 2022)
              pace-and-bac      PACE (DH and ECDH listed) and BAC, as documents of 2014-2022
              bac-only          BAC only, no EF.CardAccess
            """)

    @Option(help: "The document's MRZ: its lines joined by \\n, or one run of 88 (TD3) or 90 (TD1) characters.")
    var mrz: String = ""

    @Option(help: "What the chip offers for access control.") var profile = ChipProfile.bacOnly.name
    @Option(help: "The card access number the chip accepts as a PACE password (6 digits).") var can: String?
    @Flag(help: "The chip refuses the MRZ as a PACE password and takes only the CAN.") var canOnly = false
    @Option(
        help: ArgumentHelp(
            "Play a document from its elementary files in this folder: EF.CardAccess, EF.COM, EF.DG1, EF.DG14, EF.DG15 and EF.SOD.",
            discussion: "A dump holds no private keys: its chip and active authentication fail, as any copy's must."))
    var fromDir: String?
    @Option(help: "Write the played document's elementary files into this folder (as --from-dir reads them) and exit.")
    var dumpTo: String?
    @Option(help: "A folder with the test PKI (test CSCA and Document Signers) that signs EF.SOD; made when missing.")
    var pki: String?
    @Option(help: "A forged document: dg1, sod-signature or unknown-issuer (needs --pki).") var tamper: String?
    @Flag(help: "Make the test PKI in --pki and exit: a kiosk needs its csca.pem before the first card.") var initPKI = false
    @Option(help: "vpcd's address.") var host = "127.0.0.1"
    @Option(help: "vpcd's port: 35963 is the first virtual reader, 35964 the second.") var port: UInt16 = 35963
    @Option(
        help: ArgumentHelp(
            "Be the card in QEMU's USB CCID reader instead: the Unix socket of a ccid-card-passthru chardev.",
            discussion: "The guest sees a real USB reader (libccid). SIGTERM takes the card out of the reader."))
    var vscard: String?
    @Option(help: "Seconds to keep trying while pcscd (or QEMU) is not listening yet.") var wait = 10.0
    @Option(help: "Milliseconds each answer takes: a slow chip, so tests can pull the card in the middle of a read.")
    var apduDelayMs = 0

    func validate() throws {
        guard ChipProfile.named(profile) != nil else {
            throw ValidationError("--profile: one of \(ChipProfile.all.map(\.name).joined(separator: ", "))")
        }
        if let can, can.count != 6 || !can.allSatisfy(\.isNumber) { throw ValidationError("--can: six digits") }
        if canOnly && can == nil { throw ValidationError("--can-only needs --can") }
        if let tamper, VirtualChip.Tamper(rawValue: tamper) == nil {
            throw ValidationError("--tamper: one of \(VirtualChip.Tamper.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if tamper != nil && pki == nil { throw ValidationError("--tamper needs --pki") }
        if initPKI && pki == nil { throw ValidationError("--init-pki needs --pki") }
        if !initPKI && mrz.isEmpty && fromDir == nil { throw ValidationError("--mrz or --from-dir is required") }
        if fromDir != nil && (!mrz.isEmpty || pki != nil || tamper != nil) {
            throw ValidationError("--from-dir plays the files as they are: no --mrz, --pki or --tamper")
        }
    }

    func run() throws {
        let testPKI = try pki.map { try TestPKI(directory: $0) }
        if initPKI {
            print("kiosk-emrtd: test PKI in \(pki!): trust csca.pem (\(testPKI!.csca.subject))")
            return
        }
        var chipProfile = ChipProfile.named(profile)!
        chipProfile.can = can
        chipProfile.canOnly = canOnly
        if canOnly && chipProfile.pace.isEmpty { throw ValidationError("--can-only needs a profile with PACE") }
        let chip: VirtualChip
        if let fromDir {
            var files: [UInt16: [UInt8]] = [:]
            for (name, id) in VirtualChip.dumpedFiles {
                if let data = FileManager.default.contents(atPath: fromDir + "/" + name) { files[id] = Array(data) }
            }
            do {
                chip = try VirtualChip(dumpedFiles: files)
            } catch {
                throw ValidationError("--from-dir \(fromDir): \(error)")
            }
        } else {
            do {
                chip = try VirtualChip(
                    mrz: mrz.replacingOccurrences(of: "\\n", with: "\n"), profile: chipProfile, pki: testPKI,
                    tamper: tamper.flatMap(VirtualChip.Tamper.init(rawValue:)))
            } catch let error as MRZError {
                throw ValidationError("--mrz: \(error)")
            }
        }
        if let dumpTo {
            try chip.dump(to: dumpTo)
            print("kiosk-emrtd: elementary files written to \(dumpTo)")
            return
        }
        if let vscard {
            try serveOnQEMU(chip, socket: vscard)
            return
        }
        let link = try VPCDLink.connect(host: host, port: port, wait: wait)
        print("kiosk-emrtd: card inserted on vpcd \(host):\(port) (\(chip.profile.name))")
        fflush(nil)
        try link.serve(chip, delay: apduDelayMs)
        link.close()
        print("kiosk-emrtd: pcscd closed the connection")
    }

    /// The chip in QEMU's usb-ccid reader until QEMU goes away; SIGTERM or SIGINT pull the card first, as a hand would.
    func serveOnQEMU(_ chip: VirtualChip, socket: String) throws {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        let link = try VSCardLink.connect(path: socket, wait: wait)
        try link.insert(atr: VirtualChip.atr)
        print("kiosk-emrtd: card inserted in QEMU's USB CCID reader at \(socket) (\(chip.profile.name))")
        fflush(nil)
        let blocked = signals
        Thread.detachNewThread {
            var set = blocked
            var signal: Int32 = 0
            sigwait(&set, &signal)
            link.remove()
            print("kiosk-emrtd: card removed")
            fflush(nil)
            Foundation.exit(0)
        }
        let delay = apduDelayMs
        var first = true
        try link.serve { command in
            if first {
                // For whoever waits to pull the card mid-read (the VM bench): the reader has started on the chip.
                print("kiosk-emrtd: the reader sent its first command")
                fflush(nil)
                first = false
            }
            if delay > 0 { usleep(useconds_t(delay) * 1000) }
            return chip.respond(command)
        }
        link.close()
        print("kiosk-emrtd: QEMU closed the connection")
    }
}
