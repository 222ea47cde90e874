/// EF.DG1 (Doc 9303-10, 4.7.1): tag 61 holding 5F1F, the MRZ as printed, 90 characters for TD1 and 88 for TD3. Its
/// fields and check digits are the reader's to interpret; this checks only the form. Personal data: the description is
/// masked.
public struct DataGroup1: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The MRZ's characters, without line breaks.
    public let mrz: String

    public init(_ bytes: [UInt8]) throws(MRTDError) {
        let outer = try TLV.parseAll(bytes)
        guard let dg1 = outer.first(where: { $0.tag == 0x61 }) else { throw .malformedDG1("tag 61 is missing") }
        let mrzBytes = try TLV.find(0x5F1F, in: try TLV.parseAll(dg1.value))
        guard mrzBytes.count == 88 || mrzBytes.count == 90 else { throw .malformedDG1("an MRZ of \(mrzBytes.count) bytes") }
        guard mrzBytes.allSatisfy({ $0 < 0x80 }) else { throw .malformedDG1("non-ASCII bytes") }
        mrz = String(decoding: mrzBytes, as: UTF8.self)
    }

    public var description: String { "DataGroup1(redacted)" }
    public var debugDescription: String { description }
}
