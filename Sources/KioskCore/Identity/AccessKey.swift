/// The three MRZ fields that unlock a chip with Basic Access Control: document number, birth date and expiry.
///
/// They come from a scanned MRZ or are typed by the resident. Personal data: the description is masked.
public struct AccessKey: Sendable, Equatable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public let documentNumber: String
    /// `YYMMDD`.
    public let birthDate: String
    /// `YYMMDD`.
    public let expiryDate: String

    init(checkedDocumentNumber: String, birthDate: String, expiryDate: String) {
        documentNumber = checkedDocumentNumber
        self.birthDate = birthDate
        self.expiryDate = expiryDate
    }

    public enum Problem: Error, Sendable, Equatable {
        case badDocumentNumber
    }

    /// Builds a key from typed fields. The document number is 6 to 22 letters and digits (Dutch documents use 9).
    ///
    /// - throws: ``Problem/badDocumentNumber`` when the number has other characters or a wrong length.
    public init(documentNumber: String, birth: CalendarDate, expiry: CalendarDate) throws(Problem) {
        let number = documentNumber.uppercased().filter { $0 != " " }
        guard (6...22).contains(number.count), number.allSatisfy({ MRZ.isMRZCharacter($0) && $0 != "<" }) else {
            throw .badDocumentNumber
        }
        self.init(checkedDocumentNumber: number, birthDate: birth.mrz, expiryDate: expiry.mrz)
    }

    /// The "MRZ information" BAC hashes (Doc 9303-11, 9.7.1): number, birth date and expiry, each followed by its check digit.
    public var mrzInformation: String {
        let number = documentNumber.padding(toAtLeast: 9)
        return number + String(MRZ.checkDigit(number)) + birthDate + String(MRZ.checkDigit(birthDate)) + expiryDate
            + String(MRZ.checkDigit(expiryDate))
    }

    public var description: String { "AccessKey(redacted)" }
    public var debugDescription: String { description }
}
