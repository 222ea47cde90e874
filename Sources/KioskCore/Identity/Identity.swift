/// Who the resident is, as read from the chip of their document (DG1), after the access key opened it.
///
/// Personal data: the description is masked, and the session drops it when it is wiped.
public struct Identity: Sendable, Equatable, Codable, CustomStringConvertible, CustomDebugStringConvertible {
    public var documentCode: String
    public var issuer: String
    public var documentNumber: String
    public var surname: String
    public var givenNames: String
    public var nationality: String
    /// `YYMMDD`.
    public var birthDate: String
    public var sex: String
    /// `YYMMDD`.
    public var expiryDate: String

    public init(
        documentCode: String, issuer: String, documentNumber: String, surname: String, givenNames: String,
        nationality: String, birthDate: String, sex: String, expiryDate: String
    ) {
        self.documentCode = documentCode
        self.issuer = issuer
        self.documentNumber = documentNumber
        self.surname = surname
        self.givenNames = givenNames
        self.nationality = nationality
        self.birthDate = birthDate
        self.sex = sex
        self.expiryDate = expiryDate
    }

    public init(mrz: MRZ) {
        documentCode = mrz.documentCode
        issuer = mrz.issuer
        documentNumber = mrz.documentNumber
        surname = mrz.surname
        givenNames = mrz.givenNames
        nationality = mrz.nationality
        birthDate = mrz.birthDate
        sex = mrz.sex
        expiryDate = mrz.expiryDate
    }

    /// "Anna Maria Eriksson", for the "is this you?" line.
    public var displayName: String {
        let cap: (String) -> String = {
            $0.split(separator: " ").map { $0.prefix(1) + $0.dropFirst().lowercased() }.joined(separator: " ")
        }
        return [cap(givenNames), cap(surname)].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The document number with all but its last three characters hidden.
    public var maskedDocumentNumber: String {
        String(repeating: "*", count: max(0, documentNumber.count - 3)) + documentNumber.suffix(3)
    }

    public var description: String { "Identity(redacted)" }
    public var debugDescription: String { description }
}
