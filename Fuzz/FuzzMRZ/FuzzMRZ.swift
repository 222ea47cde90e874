// libFuzzer target: the MRZ parser (KioskCore) on arbitrary text. It must answer every input with an MRZ or an MRZError,
// never crash, and a parsed MRZ must satisfy its own invariants. Built by `make fuzz` with -sanitize=fuzzer.
import KioskCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMRZ(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let mrz = try? MRZ(text) {
        precondition(mrz.birthDate.count == 6 && mrz.expiryDate.count == 6, "dates are YYMMDD")
        precondition(mrz.accessKey.mrzInformation.count >= 24, "the BAC information has number, dates and check digits")
        _ = Identity(mrz: mrz).displayName
    }
    return 0
}

/// SwiftPM links executables against `FuzzMRZ_main` rather than `main`; hand over to libFuzzer's driver from there.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("FuzzMRZ_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzMRZ)
}
