import COpenSSL

/// A finite-field Diffie-Hellman group (the RFC 5114 MODP groups PACE's domain parameters 0 to 2 name), with modular
/// arithmetic from OpenSSL. A peer's value must lie in (1, p − 1) and in the subgroup of order q.
package final class DHGroup: KeyAgreementGroup {
    let p: BigNumber
    let q: BigNumber
    let g: BigNumber
    package let name: String
    package var publicKeyTag: UInt32 { 0x84 }

    /// The standardized parameters 0 (1024-bit MODP, 160-bit subgroup), 1 (2048/224) and 2 (2048/256) of Doc 9303-11, 9.5.1.
    package init(standardized id: Int) throws(MRTDError) {
        let dh: OpaquePointer?
        switch id {
        case 0: dh = DH_get_1024_160()
        case 1: dh = DH_get_2048_224()
        case 2: dh = DH_get_2048_256()
        default: throw .unsupportedProtocol("DH domain parameters \(id)")
        }
        guard let dh else { throw .crypto("DH_get for parameters \(id)") }
        defer { DH_free(dh) }
        var pp: OpaquePointer?
        var qq: OpaquePointer?
        var gg: OpaquePointer?
        DH_get0_pqg(dh, &pp, &qq, &gg)
        p = try BigNumber(copying: pp)
        q = try BigNumber(copying: qq)
        g = try BigNumber(copying: gg)
        name =
            [
                "1024-bit MODP (RFC 5114)", "2048-bit MODP, 224-bit subgroup (RFC 5114)",
                "2048-bit MODP, 256-bit subgroup (RFC 5114)",
            ][id]
    }

    private init(p: BigNumber, q: BigNumber, g: BigNumber, name: String) {
        self.p = p
        self.q = q
        self.g = g
        self.name = name
    }

    var size: Int { p.byteCount }

    package func randomPrivateKey() throws(MRTDError) -> [UInt8] {
        try BigNumber.randomScalar(below: q.bn, size: q.byteCount)
    }

    package func publicKey(of privateKey: [UInt8]) throws(MRTDError) -> [UInt8] {
        try power(g, try BigNumber(privateKey)).bytes(size: size)
    }

    package func validate(publicKey: [UInt8]) throws(MRTDError) {
        _ = try checked(publicKey)
    }

    package func sharedElement(_ privateKey: [UInt8], _ peer: [UInt8]) throws(MRTDError) -> [UInt8] {
        try power(try checked(peer), try BigNumber(privateKey)).bytes(size: size)
    }

    package func sharedSecret(_ privateKey: [UInt8], _ peer: [UInt8]) throws(MRTDError) -> [UInt8] {
        try sharedElement(privateKey, peer)
    }

    package func mapped(nonce: [UInt8], shared: [UInt8]) throws(MRTDError) -> any KeyAgreementGroup {
        let h = try checked(shared)
        let mapped = try g.power(try BigNumber(nonce), modulo: p).times(h, modulo: p)
        guard !mapped.isOne else { throw .badPublicKey("the mapped generator is 1") }
        return DHGroup(p: p, q: q, g: mapped, name: name)
    }

    /// `base ^ exponent mod p`.
    private func power(_ base: BigNumber, _ exponent: BigNumber) throws(MRTDError) -> BigNumber {
        try base.power(exponent, modulo: p)
    }

    /// A value from outside: 1 < y < p − 1, and y^q = 1 (it lies in the prime-order subgroup).
    private func checked(_ bytes: [UInt8]) throws(MRTDError) -> BigNumber {
        guard bytes.count == size else { throw .badPublicKey("a DH value of \(bytes.count) bytes for \(name)") }
        let y = try BigNumber(bytes)
        guard !y.isZero, !y.isOne, y.isLess(than: try p.minusOne()) else {
            throw .badPublicKey("a DH value outside (1, p − 1)")
        }
        guard try power(y, q).isOne else { throw .badPublicKey("a DH value outside the subgroup") }
        return y
    }
}
