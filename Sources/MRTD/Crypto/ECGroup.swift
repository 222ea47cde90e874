import COpenSSL

/// A prime curve from OpenSSL, with the point arithmetic PACE and chip authentication need.
///
/// Points are uncompressed octet strings (04 ‖ x ‖ y). Every point from outside goes through ``validate(publicKey:)``:
/// the right length and form, on the curve, not infinity. The standard curves all have cofactor 1, so a point on the curve
/// is in the group.
package final class ECGroup: KeyAgreementGroup {
    let group: OpaquePointer
    package let name: String
    package var publicKeyTag: UInt32 { 0x86 }

    /// A named curve by OpenSSL NID (`NID_brainpoolP320r1`, …).
    package init(curve nid: Int32) throws(MRTDError) {
        guard let group = EC_GROUP_new_by_curve_name(nid) else { throw .crypto("curve \(nid) is not in libcrypto") }
        self.group = group
        name = OBJ_nid2sn(nid).map { String(cString: $0) } ?? "curve \(nid)"
    }

    /// A copy of a group from a key, named after the standard curve it equals (explicit parameters included).
    init(copying source: OpaquePointer) throws(MRTDError) {
        guard let group = EC_GROUP_dup(source) else { throw .crypto("EC_GROUP_dup") }
        self.group = group
        var nid = EC_GROUP_get_curve_name(group)
        if nid == NID_undef { nid = EC_GROUP_check_named_curve(group, 0, nil) }
        name = nid > 0 ? (OBJ_nid2sn(nid).map { String(cString: $0) } ?? "curve \(nid)") : "an explicit curve"
    }

    private init(taking group: OpaquePointer, name: String) {
        self.group = group
        self.name = name
    }

    deinit { EC_GROUP_free(group) }

    /// The size in bytes of a field element, and so of each coordinate.
    package var fieldSize: Int { (Int(EC_GROUP_get_degree(group)) + 7) / 8 }

    var orderSize: Int { (Int(BN_num_bits(EC_GROUP_get0_order(group))) + 7) / 8 }

    // MARK: - KeyAgreementGroup

    package func randomPrivateKey() throws(MRTDError) -> [UInt8] {
        try BigNumber.randomScalar(below: EC_GROUP_get0_order(group), size: orderSize)
    }

    package func publicKey(of privateKey: [UInt8]) throws(MRTDError) -> [UInt8] {
        try multiply(privateKey, nil)
    }

    package func validate(publicKey: [UInt8]) throws(MRTDError) {
        let point = try decode(publicKey)
        EC_POINT_free(point)
    }

    package func sharedElement(_ privateKey: [UInt8], _ peer: [UInt8]) throws(MRTDError) -> [UInt8] {
        try multiply(privateKey, peer)
    }

    package func sharedSecret(_ privateKey: [UInt8], _ peer: [UInt8]) throws(MRTDError) -> [UInt8] {
        Array(try multiply(privateKey, peer)[1...fieldSize])
    }

    package func mapped(nonce: [UInt8], shared: [UInt8]) throws(MRTDError) -> any KeyAgreementGroup {
        let generator = try add(try multiply(nonce, nil), shared)
        guard let copy = EC_GROUP_dup(group) else { throw .crypto("EC_GROUP_dup") }
        let point = try decode(generator)
        defer { EC_POINT_free(point) }
        guard EC_GROUP_set_generator(copy, point, EC_GROUP_get0_order(group), EC_GROUP_get0_cofactor(group)) == 1 else {
            EC_GROUP_free(copy)
            throw .crypto("EC_GROUP_set_generator")
        }
        return ECGroup(taking: copy, name: name)
    }

    // MARK: - Points

    /// The generator, encoded.
    package var generator: [UInt8] {
        (try? encode(EC_GROUP_get0_generator(group))) ?? []
    }

    /// scalar · point, or scalar · G when `point` is nil.
    package func multiply(_ scalar: [UInt8], _ point: [UInt8]?) throws(MRTDError) -> [UInt8] {
        let k = try BigNumber(scalar)
        guard let result = EC_POINT_new(group) else { throw .crypto("EC_POINT_new") }
        defer { EC_POINT_free(result) }
        if let point {
            let p = try decode(point)
            defer { EC_POINT_free(p) }
            guard withExtendedLifetime(k, { EC_POINT_mul(group, result, nil, p, k.bn, nil) }) == 1 else {
                throw .crypto("EC_POINT_mul")
            }
        } else {
            guard withExtendedLifetime(k, { EC_POINT_mul(group, result, k.bn, nil, nil, nil) }) == 1 else {
                throw .crypto("EC_POINT_mul")
            }
        }
        return try encode(result)
    }

    /// a + b.
    package func add(_ a: [UInt8], _ b: [UInt8]) throws(MRTDError) -> [UInt8] {
        let p = try decode(a)
        defer { EC_POINT_free(p) }
        let q = try decode(b)
        defer { EC_POINT_free(q) }
        guard let sum = EC_POINT_new(group) else { throw .crypto("EC_POINT_new") }
        defer { EC_POINT_free(sum) }
        guard EC_POINT_add(group, sum, p, q, nil) == 1 else { throw .crypto("EC_POINT_add") }
        return try encode(sum)
    }

    /// Decodes and checks a point; the caller frees it.
    private func decode(_ bytes: [UInt8]) throws(MRTDError) -> OpaquePointer {
        guard bytes.count == 1 + 2 * fieldSize, bytes.first == 0x04 else {
            throw .badPublicKey("a point of \(bytes.count) bytes is not an uncompressed point on \(name)")
        }
        guard let point = EC_POINT_new(group) else { throw .crypto("EC_POINT_new") }
        guard EC_POINT_oct2point(group, point, bytes, bytes.count, nil) == 1, EC_POINT_is_on_curve(group, point, nil) == 1
        else {
            EC_POINT_free(point)
            ERR_clear_error()
            throw .badPublicKey("the point is not on \(name)")
        }
        guard EC_POINT_is_at_infinity(group, point) == 0 else {
            EC_POINT_free(point)
            throw .badPublicKey("the point at infinity")
        }
        return point
    }

    private func encode(_ point: OpaquePointer?) throws(MRTDError) -> [UInt8] {
        guard let point, EC_POINT_is_at_infinity(group, point) == 0 else {
            throw .badPublicKey("the result is the point at infinity")
        }
        var out = [UInt8](repeating: 0, count: 1 + 2 * fieldSize)
        guard EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, &out, out.count, nil) == out.count else {
            throw .crypto("EC_POINT_point2oct")
        }
        return out
    }
}
