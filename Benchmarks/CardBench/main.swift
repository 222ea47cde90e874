// kiosk-bench-card: how long a resident waits for the chip read, through the real pcscd with the vpcd reader and kiosk-emrtd.
//
//   1. BAC + EF.COM + EF.DG1 through pcscd (the kiosk's path), p50 and p99, and its APDU count.
//   2. Baselines in the same run: one plain APDU round trip through the same pcscd (GET CHALLENGE), and the same read against
//      the virtual chip in-process (the crypto and parsing alone).
//
// Run with `make bench`; record the figures in Benchmarks/README.md.
import Foundation
import KioskCore
import KioskTesting
import MRTD
import SmartCard
import VirtualMRTD

func milliseconds(_ start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
}

func percentile(_ samples: [Double], _ p: Double) -> Double {
    let sorted = samples.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

let td3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
let key = try MRZ(td3).accessKey
let rounds = Int(ProcessInfo.processInfo.environment["BENCH_READS"] ?? "") ?? 50

// In-process: the reader's own cost.
let chip = InProcessCard(try VirtualChip(mrz: td3))
var local: [Double] = []
var apdus = 0
for _ in 0..<rounds {
    let start = ContinuousClock.now
    apdus = try await ChipReader.readIdentity(chip, key: key).apdus
    local.append(milliseconds(start))
}

// Through pcscd.
try await PCSCPeer.shared.value
let card = try await PCSCPeer.Card(mrz: td3)
let context = PCSCContext(label: "bench")
_ = try await context.waitForCard(on: PCSCPeer.reader, seconds: 10)
var plain: [Double] = []
var full: [Double] = []
for _ in 0..<rounds {
    let connection = try await context.connect(PCSCPeer.reader)
    _ = try await connection.transmit(Array(hex: "00A4040C07A0000002471001")!)
    let start = ContinuousClock.now
    _ = try await connection.transmit(Array(hex: "0084000008")!)
    plain.append(milliseconds(start))
    await connection.disconnect()
}
for _ in 0..<rounds {
    let start = ContinuousClock.now
    let connection = try await context.connect(PCSCPeer.reader)
    _ = try await ChipReader.readIdentity(connection, key: key)
    await connection.disconnect()
    full.append(milliseconds(start))
}
try await card.remove()

let p50 = percentile(full, 0.5)
print("chip read (connect, SELECT, BAC, EF.COM, EF.DG1, disconnect) through pcscd + vpcd, \(rounds) reads, \(apdus) APDUs each")
print(String(format: "  through pcscd:    p50 %8.2f ms   p99 %8.2f ms", p50, percentile(full, 0.99)))
print(
    String(
        format: "  one APDU via pcscd p50 %8.3f ms   -> read = %.1f APDU round trips", percentile(plain, 0.5),
        p50 / percentile(plain, 0.5)))
print(
    String(
        format: "  in-process chip:  p50 %8.3f ms   -> pcscd path costs %.0fx the reader's own work", percentile(local, 0.5),
        p50 / percentile(local, 0.5)))
