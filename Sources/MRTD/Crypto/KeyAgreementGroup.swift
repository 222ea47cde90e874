/// A group Diffie-Hellman runs in, as PACE and chip authentication use it: a prime curve (``ECGroup``) or a finite field
/// (``DHGroup``). Keys and public values travel as bytes; a peer's public value is checked before any use.
package protocol KeyAgreementGroup: AnyObject {
    /// The tag a public key takes in the authentication token's template 7F49: 86 for a curve point, 84 for a DH value.
    var publicKeyTag: UInt32 { get }
    /// "brainpoolP320r1", "2048-bit MODP (RFC 5114)": for the technician.
    var name: String { get }

    /// A private key drawn uniformly from [1, order − 1].
    func randomPrivateKey() throws(MRTDError) -> [UInt8]
    /// The public key of `privateKey` (an uncompressed point, or a value the size of the prime).
    func publicKey(of privateKey: [UInt8]) throws(MRTDError) -> [UInt8]
    /// Refuses a public value that is malformed, off the curve, the point at infinity, or outside the prime-order subgroup.
    func validate(publicKey: [UInt8]) throws(MRTDError)
    /// The agreed group element: privateKey · peer (a point), or peer ^ privateKey (a value).
    func sharedElement(_ privateKey: [UInt8], _ peer: [UInt8]) throws(MRTDError) -> [UInt8]
    /// The shared secret the KDF takes: a point's x coordinate, or the DH value itself, each the size of the field.
    func sharedSecret(_ privateKey: [UInt8], _ peer: [UInt8]) throws(MRTDError) -> [UInt8]
    /// PACE's generic mapping (Doc 9303-11, 4.4.3.3.1): the group with generator s·G + H (or g^s · h).
    func mapped(nonce: [UInt8], shared: [UInt8]) throws(MRTDError) -> any KeyAgreementGroup
}
