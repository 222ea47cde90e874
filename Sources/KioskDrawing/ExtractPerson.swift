public import Foundation
public import KioskCore

/// Whom an extract is about, as printed: from the population register (the gateway's BRP answer), or, on the reference
/// server's demonstration, from the chip.
public struct ExtractPerson: Sendable, Equatable {
    public var surname: String
    public var givenNames: String
    /// As printed: dd-mm-yyyy.
    public var birthDate: String
    public var birthPlace: String?
    public var sex: String?
    public var nationality: String
    public var address: [String]

    public init(
        surname: String, givenNames: String, birthDate: String, birthPlace: String?, sex: String?, nationality: String,
        address: [String]
    ) {
        self.surname = surname
        self.givenNames = givenNames
        self.birthDate = birthDate
        self.birthPlace = birthPlace
        self.sex = sex
        self.nationality = nationality
        self.address = address
    }

    /// The chip's data, for the demonstration: an MRZ birth date put in its century by `notAfter`.
    public init(identity: Identity, notAfter: Date) {
        self.init(
            surname: identity.surname, givenNames: identity.givenNames,
            birthDate: ExtractDocument.display(yymmdd: identity.birthDate, notAfter: notAfter), birthPlace: nil,
            sex: identity.sex, nationality: identity.nationality, address: [])
    }
}
