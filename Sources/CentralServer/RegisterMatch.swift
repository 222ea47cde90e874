import CommonGround
import Foundation
import KioskCore

/// Whether the register's person is the one whose chip was read: the same birth date, and the same surname once both are
/// reduced to the letters A–Z (the MRZ's transliteration, ICAO 9303 part 3, or plain accent folding, whichever the issuer
/// used). A typed BSN that belongs to somebody else fails here.
enum RegisterMatch {
    static func matches(_ person: RegisterPerson, _ identity: Identity) -> Bool {
        guard let birth = person.birthDate.flatMap(yymmdd), birth == identity.birthDate else { return false }
        let chip = letters(identity.surname)
        guard !chip.isEmpty else { return false }
        return variants(person.fullSurname).contains { register in
            // An MRZ name longer than its field is cut off; the chip's then is a prefix of the register's.
            register == chip || (chip.count >= 30 && register.hasPrefix(chip))
        }
    }

    /// An ISO date (YYYY-MM-DD) as an MRZ writes it (YYMMDD), or nil when it is no such date.
    static func yymmdd(_ iso: String) -> String? {
        guard iso.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil else { return nil }
        return String(iso.dropFirst(2)).replacingOccurrences(of: "-", with: "")
    }

    /// The surname as an MRZ may carry it: ICAO transliteration (Ü → UE, ß → SS, Å → AA, …) or plain folding (Ü → U).
    static func variants(_ name: String) -> Set<String> {
        let icao: [Character: String] = [
            "Ä": "AE", "Ö": "OE", "Ü": "UE", "ß": "SS", "Å": "AA", "Æ": "AE", "Ø": "OE", "Œ": "OE", "Þ": "TH",
        ]
        let upper = name.uppercased()
        let transliterated = upper.map { icao[$0] ?? String($0) }.joined()
        return [letters(upper), letters(transliterated)]
    }

    static func letters(_ text: String) -> String {
        text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX"))
            .uppercased().filter { $0.isASCII && $0.isLetter }
    }
}
