// kiosk-bench-card: how long a resident waits for the chip read, through the real pcscd with the vpcd reader and kiosk-emrtd.
//
//   1. The 2025 Dutch passport (nl-passport-2025): PACE on brainpoolP320r1, EF.COM, DG1, DG14, DG15, EF.SOD, passive
//      authentication against the Dutch master list plus the test CSCA, chip authentication on brainpoolP512r1 - through
//      pcscd, p50 and p99, and its APDU count.
//   2. The old read for comparison: BAC + EF.COM + EF.DG1 (bac-only, no trust).
//   3. Baselines in the same run: one plain APDU round trip through the same pcscd, and the same reads against the virtual
//      chip in-process (the crypto and parsing alone).
//   4. One SOD verification against the 412 CSCAs (the chip's own EF.SOD over DG1, DG14 and DG15), and loading the master
//      list (once at start). PACE's and chip authentication's EC steps alone are not measured here: the benchmark package
//      sees only MRTD's public API, which keeps its OpenSSL wrappers to itself.
//
// Run with `make bench`; record the figures in Benchmarks/README.md.
import BenchSupport
import Foundation
import KioskCore
import KioskTesting
import MRTD
import SmartCard
import VirtualMRTD

func time(_ rounds: Int, _ body: () async throws -> Void) async rethrows -> [Double] {
    var samples: [Double] = []
    for _ in 0..<rounds {
        let start = ContinuousClock.now
        try await body()
        samples.append(milliseconds(start))
    }
    return samples
}

let passport = Specimen.nlPassport2035
let key = DocumentKey(mrzInformation: try MRZ(passport).accessKey.mrzInformation)
let rounds = Int(ProcessInfo.processInfo.environment["BENCH_READS"] ?? "") ?? 50
let pkiDir = NSTemporaryDirectory() + "kiosk-bench-pki"
let pki = try TestPKI(directory: pkiDir)
let csca = Harness.root + "/Kiosk/csca/"
let loadStart = ContinuousClock.now
let (trust, list) = try TrustStore.load(
    masterList: csca + "NL_ML_2026-07-22.ml", root: csca + "NL_ROOT_CA.cer", cscaFiles: [pkiDir + "/csca.pem"])
let loadMillis = milliseconds(loadStart)

// In-process: the reader's own cost.
let modernChip = InProcessCard(try VirtualChip(mrz: passport, profile: .nlPassport2025, pki: pki))
var modernAPDUs = 0
let modernLocal = try await time(rounds) {
    let result = try await ChipReader.read(modernChip, key: key, trust: trust)
    precondition(result.passive?.isValid == true && result.antiClone?.isValid == true, "the bench read must verify")
    modernAPDUs = result.apdus
}
let oldChip = InProcessCard(try VirtualChip(mrz: passport, profile: .bacOnly))
var oldAPDUs = 0
let oldLocal = try await time(rounds) { oldAPDUs = try await ChipReader.read(oldChip, key: key).apdus }

// One SOD verified: the modern chip's own, over the data groups a read takes, from a dump of the chip.
let dumpDir = pkiDir + "/dump"
try VirtualChip(mrz: passport, profile: .nlPassport2025, pki: pki).dump(to: dumpDir)
func dumped(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: dumpDir + "/" + name))) }
let sod = try dumped("EF.SOD")
let dataGroups = [1: try dumped("EF.DG1"), 14: try dumped("EF.DG14"), 15: try dumped("EF.DG15")]
let sodCrypto = try await time(rounds) {
    precondition(PassiveAuthentication.verify(sod: sod, dataGroups: dataGroups, trust: trust).isValid)
}

// Through pcscd.
try await PCSCPeer.shared.value
let context = PCSCContext(label: "bench")
func throughPCSC(_ options: [String], trust: TrustStore?) async throws -> ([Double], [Double]) {
    let card = try await PCSCPeer.Card(mrz: passport, apduDelay: 0, options)
    _ = try await context.waitForCard(on: PCSCPeer.reader, seconds: 10)
    let plain = try await time(rounds) {
        let connection = try await context.connect(PCSCPeer.reader)
        _ = try await connection.transmit(Array(hex: "00A4020C02011C")!)
        await connection.disconnect()
    }
    let full = try await time(rounds) {
        let connection = try await context.connect(PCSCPeer.reader)
        _ = try await ChipReader.read(connection, key: key, trust: trust)
        await connection.disconnect()
    }
    try await card.remove()
    return (plain, full)
}
let (onePlain, modernFull) = try await throughPCSC(["--profile", "nl-passport-2025", "--pki", pkiDir], trust: trust)
let (_, oldFull) = try await throughPCSC(["--profile", "bac-only"], trust: nil)
let apdu = percentile(onePlain, 0.5)

print(
    "master list: \(list?.cscas.count ?? 0) CSCAs (+1 test CSCA) loaded and verified in \(String(format: "%.1f", loadMillis)) ms, once at start"
)
print(
    "modern read (PACE P320, EF.COM, DG1, DG14, DG15, SOD, PA, CA P512) through pcscd + vpcd, \(rounds) reads, \(modernAPDUs) APDUs"
)
print(
    String(format: "  through pcscd:    p50 %8.2f ms   p99 %8.2f ms", percentile(modernFull, 0.5), percentile(modernFull, 0.99)))
print(
    String(format: "  connect + one APDU via pcscd p50 %8.3f ms -> read = %.1f of them", apdu, percentile(modernFull, 0.5) / apdu)
)
print(
    String(
        format: "  in-process:       p50 %8.3f ms   -> pcscd path costs %.1fx the reader's own work",
        percentile(modernLocal, 0.5),
        percentile(modernFull, 0.5) / percentile(modernLocal, 0.5)))
print("old read (BAC, EF.COM, DG1, no checks), \(oldAPDUs) APDUs")
print(String(format: "  through pcscd:    p50 %8.2f ms   p99 %8.2f ms", percentile(oldFull, 0.5), percentile(oldFull, 0.99)))
print(String(format: "  in-process:       p50 %8.3f ms", percentile(oldLocal, 0.5)))
print(
    String(
        format: "  modern / old through pcscd: %.1fx", percentile(modernFull, 0.5) / percentile(oldFull, 0.5)))
print(
    String(
        format: "one SOD verified against 412 CSCAs (DG1, DG14, DG15), p50 %7.3f ms: %.0f%% of the in-process modern read",
        percentile(sodCrypto, 0.5), 100 * percentile(sodCrypto, 0.5) / percentile(modernLocal, 0.5)))
