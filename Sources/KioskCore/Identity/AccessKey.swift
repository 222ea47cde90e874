/// What unlocks a chip: the three MRZ fields (BAC, and PACE's MRZ password), and the card access number printed on an ID
/// card when the chip asks for it (PACE's CAN password).
///
/// They come from a scanned MRZ or are typed by the resident. Personal data: the description is masked.
public struct AccessKey: Sendable, Equatable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public let documentNumber: String
    /// `YYMMDD`.
    public let birthDate: String
    /// `YYMMDD`.
    public let expiryDate: String
    /// The 6-digit card access number, once the resident typed it; nil until a chip asks for it.
    public let can: String?

    init(checkedDocumentNumber: String, birthDate: String, expiryDate: String, can: String? = nil) {
        documentNumber = checkedDocumentNumber
        self.birthDate = birthDate
        self.expiryDate = expiryDate
        self.can = can
    }

    /// The same key with a CAN (six digits), or without one (nil).
    public func with(can: String?) -> AccessKey {
        AccessKey(checkedDocumentNumber: documentNumber, birthDate: birthDate, expiryDate: expiryDate, can: can)
    }

    /// Whether `text` is a card access number: six digits.
    public static func isCAN(_ text: String) -> Bool { text.count == 6 && text.allSatisfy { $0.isASCII && $0.isNumber } }

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
