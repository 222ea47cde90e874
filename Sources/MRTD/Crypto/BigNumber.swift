import COpenSSL

/// An OpenSSL BIGNUM owned by Swift: made from big-endian bytes, freed (and cleared: it may be a private key) at the end.
///
/// Swift may end an object's life right after its last use, which for `number.bn` is the load of the pointer, before the C
/// call that reads it. So the pointer is used only inside this type's methods, or within `withExtendedLifetime`.
final class BigNumber {
    let bn: OpaquePointer

    init(_ bytes: [UInt8]) throws(MRTDError) {
        guard let bn = BN_bin2bn(bytes, Int32(bytes.count), nil) else { throw .crypto("BN_bin2bn") }
        self.bn = bn
    }

    init(taking bn: OpaquePointer) { self.bn = bn }

    init(copying bn: OpaquePointer?) throws(MRTDError) {
        guard let copy = BN_dup(bn) else { throw .crypto("BN_dup") }
        self.bn = copy
    }

    deinit { BN_clear_free(bn) }

    var byteCount: Int { (Int(BN_num_bits(bn)) + 7) / 8 }
    var isZero: Bool { BN_is_zero(bn) == 1 }
    var isOne: Bool { BN_is_one(bn) == 1 }

    /// Whether self < other.
    func isLess(than other: BigNumber) -> Bool { withExtendedLifetime(other) { BN_cmp(bn, other.bn) < 0 } }

    /// self − 1.
    func minusOne() throws(MRTDError) -> BigNumber {
        guard let copy = BN_dup(bn) else { throw .crypto("BN_dup") }
        let result = BigNumber(taking: copy)
        guard BN_sub_word(copy, 1) == 1 else { throw .crypto("BN_sub_word") }
        return result
    }

    /// self ^ exponent mod modulus.
    func power(_ exponent: BigNumber, modulo modulus: BigNumber) throws(MRTDError) -> BigNumber {
        try Self.compute("BN_mod_exp") { r, ctx in
            withExtendedLifetime((exponent, modulus)) { BN_mod_exp(r, bn, exponent.bn, modulus.bn, ctx) }
        }
    }

    /// self · other mod modulus.
    func times(_ other: BigNumber, modulo modulus: BigNumber) throws(MRTDError) -> BigNumber {
        try Self.compute("BN_mod_mul") { r, ctx in
            withExtendedLifetime((other, modulus)) { BN_mod_mul(r, bn, other.bn, modulus.bn, ctx) }
        }
    }

    private static func compute(
        _ name: String, _ body: (OpaquePointer, OpaquePointer) -> Int32
    ) throws(MRTDError) -> BigNumber {
        guard let ctx = BN_CTX_new() else { throw .crypto("BN_CTX_new") }
        defer { BN_CTX_free(ctx) }
        guard let r = BN_new() else { throw .crypto("BN_new") }
        let result = BigNumber(taking: r)
        guard body(r, ctx) == 1 else { throw .crypto(name) }
        return result
    }

    /// Big-endian, left-padded with zeros to `size` bytes.
    func bytes(size: Int) throws(MRTDError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: size)
        guard BN_bn2binpad(bn, &out, Int32(size)) == Int32(size) else { throw .crypto("a number longer than \(size) bytes") }
        return out
    }

    /// A uniform scalar in [1, bound − 1], as `size` bytes.
    static func randomScalar(below bound: OpaquePointer?, size: Int) throws(MRTDError) -> [UInt8] {
        guard let r = BN_new() else { throw .crypto("BN_new") }
        let scalar = BigNumber(taking: r)
        repeat {
            guard BN_priv_rand_range(r, bound) == 1 else { throw .crypto("BN_priv_rand_range") }
        } while BN_is_zero(r) == 1
        return try scalar.bytes(size: size)
    }
}
