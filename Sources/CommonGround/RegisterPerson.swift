/// What the extract shows of a person, as the BRP gives it: never logged, never kept after the extract is drawn.
package struct RegisterPerson: Sendable, Equatable {
    package var bsn: String
    package var givenNames: String
    /// The voorvoegsel (e.g. "de"), empty when there is none.
    package var prefix: String
    package var surname: String
    /// YYYY-MM-DD, or nil when the register has an incomplete date.
    package var birthDate: String?
    package var birthPlace: String
    package var address: [String]
    package var nationalities: [String]
    /// `geheimhoudingPersoonsgegevens`: the person asked that nothing be given to third parties.
    package var secret: Bool

    package init(
        bsn: String, givenNames: String, prefix: String, surname: String, birthDate: String?, birthPlace: String,
        address: [String], nationalities: [String], secret: Bool
    ) {
        self.bsn = bsn
        self.givenNames = givenNames
        self.prefix = prefix
        self.surname = surname
        self.birthDate = birthDate
        self.birthPlace = birthPlace
        self.address = address
        self.nationalities = nationalities
        self.secret = secret
    }

    /// The surname with its voorvoegsel, as a document shows it: "de Bruijn".
    package var fullSurname: String { prefix.isEmpty ? surname : "\(prefix) \(surname)" }
}
