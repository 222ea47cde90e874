public import Foundation
public import KioskCore

/// An extract from the population register (uittreksel BRP) as a one-page A4 PDF, in the resident's language.
///
/// The reference central renders it when it can answer a request at once, and the kiosk prints it as it is. It holds the
/// resident's personal data, so neither side logs it or keeps it longer than the case needs. A municipality's own system
/// produces its official extract instead; this one says plainly that it is a demonstration.
public struct ExtractDocument: Sendable {
    public var language: Language
    public var product: LocalizedText
    public var caseID: String
    public var reference: String
    public var issued: Date
    public var bsn: String
    public var person: ExtractPerson
    public var municipality = "Tilburg"
    /// Drawn from the chip by the reference server: the document says it is no valid extract. An extract drawn from the
    /// register's answer says where its data came from instead.
    public var demonstration: Bool

    /// An extract of the register's data.
    public init(
        language: Language, product: LocalizedText, caseID: String, reference: String, issued: Date, bsn: String,
        person: ExtractPerson
    ) {
        self.language = language
        self.product = product
        self.caseID = caseID
        self.reference = reference
        self.issued = issued
        self.bsn = bsn
        self.person = person
        demonstration = false
    }

    /// The reference server's demonstration: the chip's data, marked as no valid document.
    public init(
        language: Language, product: LocalizedText, caseID: String, reference: String, issued: Date, bsn: String,
        identity: Identity
    ) {
        self.init(
            language: language, product: product, caseID: caseID, reference: reference, issued: issued, bsn: bsn,
            person: ExtractPerson(identity: identity, notAfter: issued))
        demonstration = true
    }

    /// The in-process central's extract, drawn from the chip's data.
    public init(demonstration extract: DemonstrationExtract, issued: Date) {
        self.init(
            language: extract.language, product: extract.title, caseID: extract.caseID, reference: extract.reference,
            issued: issued, bsn: extract.bsn, identity: extract.identity)
    }

    public func pdf() throws -> Data {
        let title = text("Uittreksel Basisregistratie Personen", "Extract from the Personal Records Database")
        return try PDF.render(title: title) { canvas in
            let margin = 56.0
            let width = canvas.width - 2 * margin
            var y = margin
            y += canvas.text(
                text("Gemeente \(municipality)", "Municipality of \(municipality)"), x: margin, y: y, width: width, size: 12,
                color: .grey)
            y += 8
            y += canvas.text(title, x: margin, y: y, width: width, size: 22, bold: true)
            y += canvas.text(product[language], x: margin, y: y, width: width, size: 14)
            y += 16
            canvas.line(from: (margin, y), to: (margin + width, y))
            y += 16
            for (label, value) in rows {
                let used = canvas.text(label, x: margin, y: y, width: 170, size: 11, color: .grey)
                let valueHeight = canvas.text(value, x: margin + 180, y: y, width: width - 180, size: 11)
                y += max(used, valueHeight) + 6
            }
            y += 16
            canvas.line(from: (margin, y), to: (margin + width, y))
            y += 12
            canvas.text(
                demonstration
                    ? text(
                        "Demonstratie van de referentieserver kiosk-central: dit is geen geldig document.",
                        "Demonstration by the kiosk-central reference server: this is not a valid document.")
                    : text(
                        "Gegevens uit de Basisregistratie Personen op de datum van afgifte.",
                        "Data from the Personal Records Database on the date of issue."),
                x: margin, y: y, width: width, size: 9, color: .grey)
        }
    }

    /// Label and value per printed line, in the resident's language.
    var rows: [(String, String)] {
        var rows = [
            (text("Geslachtsnaam", "Surname"), person.surname),
            (text("Voornamen", "Given names"), person.givenNames),
            (text("Geboortedatum", "Date of birth"), person.birthDate),
        ]
        if let place = person.birthPlace, !place.isEmpty { rows.append((text("Geboorteplaats", "Place of birth"), place)) }
        if let sex = person.sex, !sex.isEmpty { rows.append((text("Geslacht", "Sex"), sex)) }
        rows.append((text("Nationaliteit", "Nationality"), person.nationality))
        if !person.address.isEmpty { rows.append((text("Adres", "Address"), person.address.joined(separator: "\n"))) }
        return rows + [
            ("BSN", bsn),
            (text("Zaaknummer", "Case number"), caseID),
            (text("Referentie", "Reference"), reference),
            (text("Datum van afgifte", "Date of issue"), Self.timestamp(issued)),
        ]
    }

    func text(_ nl: String, _ en: String) -> String { LocalizedText(nl: nl, en: en)[language] }

    /// An MRZ date of birth as dd-mm-yyyy: the century is the latest one that does not put the birth after `notAfter`.
    static func display(yymmdd: String, notAfter: Date) -> String {
        let digits = Array(yymmdd)
        guard digits.count == 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let yy = Int(yymmdd.prefix(2)) else {
            return yymmdd
        }
        let thisYear = amsterdam.component(.year, from: notAfter)
        let year = 2000 + yy > thisYear ? 1900 + yy : 2000 + yy
        return "\(String(digits[4...5]))-\(String(digits[2...3]))-\(year)"
    }

    static func timestamp(_ date: Date) -> String {
        let parts = amsterdam.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ n: Int?) -> String { n.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "??" }
        return "\(two(parts.day))-\(two(parts.month))-\(parts.year ?? 0) \(two(parts.hour)):\(two(parts.minute))"
    }

    /// Dates on the document are local to the municipality, whatever the server's zone.
    static let amsterdam: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam") ?? .gmt
        return calendar
    }()
}
