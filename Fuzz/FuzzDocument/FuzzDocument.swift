// libFuzzer target: the parsers of what a chip says about itself and its issuer: EF.CardAccess SecurityInfos, PACE's
// dynamic authentication data, EF.SOD (CMS) and its LDSSecurityObject, DG14, DG15's public key, and passive
// authentication over them. Every input must end in a value, a typed error or a refused outcome, never a crash.
import FuzzSupport
import MRTD

/// No CSCA: every SOD ends as unknown issuer or invalid, after everything before the trust check has run on the input.
nonisolated(unsafe) let trust = try! TrustStore([])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDocument(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let infos = try? SecurityInfos(der: bytes) {
        _ = try? infos.pace
        _ = try? infos.preferredPACE
    }
    for tag: UInt32 in [0x80, 0x82, 0x84, 0x86] { _ = try? PACE.dynamicAuthenticationData(bytes, tag: tag) }
    _ = try? SecurityObject.parseLDSSecurityObject(bytes)
    _ = PassiveAuthentication.verify(sod: bytes, dataGroups: [1: bytes], trust: trust)
    if let dg14 = try? DataGroup14(bytes) { _ = dg14.preferred }
    if let key = try? PublicKey(subjectPublicKeyInfo: bytes) { _ = key.name }
    _ = try? OID(bytes: bytes).dotted
    return 0
}

@_cdecl("FuzzDocument_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzDocument)
}
