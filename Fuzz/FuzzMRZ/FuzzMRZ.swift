// libFuzzer target: the MRZ parser (KioskCore) on arbitrary text. It must answer every input with an MRZ or an MRZError,
// never crash, and a parsed MRZ must satisfy its own invariants. Built by `make fuzz` with -sanitize=fuzzer.
import FuzzSupport
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

@_cdecl("FuzzMRZ_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzMRZ)
}
