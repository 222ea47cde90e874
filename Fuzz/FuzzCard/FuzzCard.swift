// libFuzzer target: everything that parses bytes from a card (BER-TLV, response APDUs, secure-messaging responses, DG1),
// and the virtual chip's command parser. Every input must end in a value or an MRTDError, never a crash.
import FuzzSupport
import MRTD
import VirtualMRTD

/// libFuzzer calls the target from one thread only.
nonisolated(unsafe) let chip = try! VirtualChip(
    mrz: "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10")
/// A PACE-only chip, whose MSE:Set AT and GENERAL AUTHENTICATE parsers take the same bytes.
nonisolated(unsafe) let paceChip = try! VirtualChip(
    mrz: "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10", profile: .nlID2021)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCard(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? TLV.parseAll(bytes)
    _ = try? DataGroup1(bytes)
    if let response = try? ResponseAPDU(bytes: bytes) {
        var channel = SecureChannel(
            encryptionKey: Array(hex: "979EC13B1CBFE9DCD01AB0FED307EAE5")!,
            macKey: Array(hex: "F1CB1F1FB5ADF208806B89DC579DC1F8")!, ssc: 0x8870_2212_0C06_C226)
        _ = try? channel.unprotect(response)
    }
    if let command = CommandAPDU(bytes: bytes) {
        precondition(command.bytes.count <= bytes.count + 1)
    }
    _ = chip.respond(bytes)
    _ = paceChip.respond(bytes)
    return 0
}

@_cdecl("FuzzCard_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzCard)
}
