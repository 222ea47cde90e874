import ArgumentParser
import Foundation
import VirtualMRTD

/// A virtual passport or ID card behind the real pcscd: connects to vsmartcard's vpcd driver and plays an eMRTD chip for one
/// MRZ. The card is on the reader while this runs; stop it (SIGTERM) to take the card away.
@main
struct KioskEMRTD: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk-emrtd", abstract: "Play an ICAO 9303 chip (BAC, DG1) on pcscd's vpcd virtual reader.")

    @Option(help: "The document's MRZ: its lines joined by \\n, or one run of 88 (TD3) or 90 (TD1) characters.")
    var mrz: String

    @Option(help: "vpcd's address.") var host = "127.0.0.1"
    @Option(help: "vpcd's port: 35963 is the first virtual reader, 35964 the second.") var port: UInt16 = 35963
    @Option(help: "Seconds to keep trying while pcscd is not listening yet.") var wait = 10.0
    @Option(help: "Milliseconds each answer takes: a slow chip, so tests can pull the card in the middle of a read.")
    var apduDelayMs = 0

    func run() throws {
        let chip: VirtualChip
        do {
            chip = try VirtualChip(mrz: mrz.replacingOccurrences(of: "\\n", with: "\n"))
        } catch {
            throw ValidationError("--mrz: \(error)")
        }
        let link = try VPCDLink.connect(host: host, port: port, wait: wait)
        print("kiosk-emrtd: card inserted on vpcd \(host):\(port)")
        fflush(nil)
        try link.serve(chip, delay: apduDelayMs)
        link.close()
        print("kiosk-emrtd: pcscd closed the connection")
    }
}
