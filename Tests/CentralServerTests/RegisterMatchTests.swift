import CommonGround
import KioskCore
import Testing

@testable import CentralServer

/// The register's person against the chip's: names as an MRZ writes them, and birth dates.
@Suite struct RegisterMatchTests {
    static func person(_ prefix: String, _ surname: String, born: String?) -> RegisterPerson {
        RegisterPerson(
            bsn: "999999990", givenNames: "Anna", prefix: prefix, surname: surname, birthDate: born, birthPlace: "",
            address: [], nationalities: [], secret: false)
    }

    static func chip(_ surname: String, born: String = "650310") -> Identity {
        Identity(
            documentCode: "P", issuer: "NLD", documentNumber: "SPECI2025", surname: surname, givenNames: "ANNA",
            nationality: "NLD", birthDate: born, sex: "F", expiryDate: "350309")
    }

    @Test(arguments: [
        ("de", "Bruijn", "DE BRUIJN"), ("", "Müller", "MUELLER"), ("", "Müller", "MULLER"), ("", "Ångström", "AANGSTROEM"),
        ("van der", "Berg-Jansen", "VAN DER BERG JANSEN"), ("", "Groß", "GROSS"),
    ])
    func namesAsAnMRZWritesThemMatch(prefix: String, surname: String, mrz: String) {
        #expect(RegisterMatch.matches(Self.person(prefix, surname, born: "1965-03-10"), Self.chip(mrz)))
    }

    @Test func anotherNameOrBirthDateDoesNot() {
        let person = Self.person("de", "Bruijn", born: "1965-03-10")
        #expect(!RegisterMatch.matches(person, Self.chip("ERIKSSON")))
        #expect(!RegisterMatch.matches(person, Self.chip("DE BRUIJN", born: "650311")))
        #expect(!RegisterMatch.matches(Self.person("de", "Bruijn", born: nil), Self.chip("DE BRUIJN")), "an unknown date")
        #expect(!RegisterMatch.matches(person, Self.chip("")), "an empty chip name")
    }

    @Test func aSurnameCutOffByTheMRZMatchesItsStart() {
        let long = Self.person("", "Vanderwaalsenbroekhuizenkampmeijer", born: "1965-03-10")
        #expect(RegisterMatch.matches(long, Self.chip("VANDERWAALSENBROEKHUIZENKAMPMEI")))
        #expect(!RegisterMatch.matches(long, Self.chip("VANDER")), "a short prefix is not enough")
    }
}
