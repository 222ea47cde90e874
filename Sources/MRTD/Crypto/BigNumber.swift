import COpenSSL

/// An OpenSSL BIGNUM owned by Swift: made from big-endian bytes, freed (and cleared: it may be a private key) at the end.
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
