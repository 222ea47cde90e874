import COpenSSL

#if canImport(Glibc)
    import Glibc
#endif

/// An X.509 certificate (a CSCA, a Document Signer, a master-list signer), parsed by OpenSSL, which knows the explicit-
/// parameter EC keys and RSASSA-PSS signatures most CSCAs use.
///
/// Holds one reference to the OpenSSL object, released when the last Swift reference goes.
public final class Certificate: @unchecked Sendable, CustomStringConvertible {
    // @unchecked: the X509 object is never changed after parsing, and OpenSSL's reads of it are thread-safe.
    let x509: OpaquePointer

    /// Parses DER; PEM is taken too (a test PKI made with the openssl command writes PEM).
    public init(der bytes: [UInt8]) throws(MRTDError) {
        let parsed =
            OpenSSLCodec.isPEM(bytes)
            ? OpenSSLCodec.readPEM(bytes) { PEM_read_bio_X509($0, nil, nil, nil) }
            : OpenSSLCodec.decode(bytes) { d2i_X509(nil, $0, $1) }
        guard let parsed else { throw .malformedStructure("a certificate that does not parse: \(OpenSSLError.last())") }
        x509 = parsed
    }

    /// Takes over a reference the caller holds (after `X509_up_ref`).
    init(retaining x509: OpaquePointer) {
        X509_up_ref(x509)
        self.x509 = x509
    }

    deinit { X509_free(x509) }

    /// The subject in one line, as `C=NL, O=…, CN=CSCA NL`: for the technician, never personal data.
    public var subject: String { Self.line(X509_get_subject_name(x509)) }
    public var issuer: String { Self.line(X509_get_issuer_name(x509)) }

    /// The subject's country (C=), which for a CSCA or a Document Signer is the issuing state.
    public var country: String? {
        var buffer = [CChar](repeating: 0, count: 8)
        let length = X509_NAME_get_text_by_NID(X509_get_subject_name(x509), NID_countryName, &buffer, Int32(buffer.count))
        return length > 0 ? String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self) : nil
    }

    public var der: [UInt8] { OpenSSLCodec.encode { i2d_X509(x509, $0) } }

    public var description: String { subject }

    /// `C=NL, O=Kingdom of the Netherlands, CN=CSCA NL`: the name's entries in order, comma separated.
    static func line(_ name: OpaquePointer?) -> String {
        guard let name else { return "" }
        var parts: [String] = []
        for index in 0..<X509_NAME_entry_count(name) {
            guard let entry = X509_NAME_get_entry(name, index),
                let object = X509_NAME_ENTRY_get_object(entry), let data = X509_NAME_ENTRY_get_data(entry)
            else { continue }
            let nid = OBJ_obj2nid(object)
            let key = nid == NID_undef ? "?" : String(cString: OBJ_nid2sn(nid))
            var utf8: UnsafeMutablePointer<UInt8>?
            let length = ASN1_STRING_to_UTF8(&utf8, data)
            guard length >= 0, let utf8 else { continue }
            let value = String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self)
            CRYPTO_free(utf8, nil, 0)
            // Bytes from a card's certificate: no control characters reach a log line.
            parts.append("\(key)=\(value.filter { !$0.isNewline && $0.asciiValue.map { $0 >= 0x20 } ?? true })")
        }
        return parts.joined(separator: ", ")
    }
}

/// OpenSSL's error queue as one line, cleared.
enum OpenSSLError {
    static func last() -> String {
        var lines: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            lines.append(String(cString: buffer))
        }
        return lines.last ?? "no detail"
    }
}
