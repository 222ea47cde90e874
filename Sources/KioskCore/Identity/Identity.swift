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
    /// The MRZ's optional data without fillers: TD3's personal number, or TD1's optional data. Dutch documents keep the
    /// holder's BSN there. Nil when empty.
    public var personalNumber: String?

    public init(
        documentCode: String, issuer: String, documentNumber: String, surname: String, givenNames: String,
        nationality: String, birthDate: String, sex: String, expiryDate: String, personalNumber: String? = nil
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
        self.personalNumber = personalNumber
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
        personalNumber = mrz.optionalData.isEmpty ? nil : mrz.optionalData
    }

    /// The holder's BSN as the chip carries it: a Dutch document (issuer NLD) whose personal number is nine digits that
    /// pass the 11-proef. Nil for a foreign document, or a Dutch one without it.
    public var bsn: BSN? {
        guard issuer == "NLD", let number = personalNumber, number.count == 9 else { return nil }
        return try? BSN(number)
    }

    /// Whether the document is still valid on `today`, or expired less than `graceMonths` months before it.
    ///
    /// The MRZ gives the expiry's year in two digits; a document expires at most ten years after issue, so the century is
    /// the one that puts the expiry closest to today.
    public func isAcceptable(on today: CalendarDate, graceMonths: Int) -> Bool {
        guard let expiry = CalendarDate(mrz: expiryDate, near: today) else { return false }
        return today <= expiry.adding(months: graceMonths)
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
