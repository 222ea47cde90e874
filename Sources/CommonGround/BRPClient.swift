import Foundation
import NIOHTTP1

/// Haal Centraal BRP Bevragen 2: one `POST /personen` of type RaadpleegMetBurgerservicenummer, asking only the fields an
/// extract shows.
package struct BRPClient: Sendable {
    package enum Authentication: Sendable {
        /// An API key in a header (the BRP's gateway names the header).
        case apiKey(header: String, value: String)
        /// Mutual TLS: the certificate is on the HTTP client; no header.
        case mutualTLS
    }

    let http: BackOfficeHTTP
    let url: String
    let authentication: Authentication

    package init(http: BackOfficeHTTP, baseURL: String, authentication: Authentication) {
        self.http = http
        self.url = baseURL.trimmingTrailingSlash + "/personen"
        self.authentication = authentication
    }

    static let fields = [
        "burgerservicenummer", "naam.voornamen", "naam.voorvoegsel", "naam.geslachtsnaam", "geboorte.datum",
        "geboorte.plaats", "adressering.adresregel1", "adressering.adresregel2", "adressering.adresregel3",
        "adressering.land", "nationaliteiten",
    ]

    /// The person with this BSN, or nil when the register has none.
    package func person(bsn: String) async throws(BackOfficeError) -> RegisterPerson? {
        let call = "brp POST /personen"
        let query = Query(type: "RaadpleegMetBurgerservicenummer", burgerservicenummer: [bsn], fields: Self.fields)
        var headers = [("Content-Type", "application/json; charset=utf-8")]
        if case .apiKey(let name, let value) = authentication { headers.append((name, value)) }
        let body: Data
        do { body = try JSONEncoder().encode(query) } catch { throw BackOfficeError(.badAnswer, call: call, "\(error)") }
        let answer = try await http.send(.POST, url, headers: headers, body: body, call: call)
        let found = try http.decode(Answer.self, answer, expected: [200], call: call)
        guard found.type == "RaadpleegMetBurgerservicenummer", let people = found.personen else {
            throw BackOfficeError(.badAnswer, call: call, "the answer has no list of persons")
        }
        guard let person = people.first(where: { $0.burgerservicenummer == bsn }) else {
            if people.isEmpty { return nil }
            throw BackOfficeError(.badAnswer, call: call, "the answer is about another person")
        }
        return person.registerPerson(bsn: bsn)
    }

    struct Query: Encodable {
        var type: String
        var burgerservicenummer: [String]
        var fields: [String]
    }

    struct Answer: Decodable {
        var type: String
        var personen: [Person]?
    }

    struct Person: Decodable {
        var burgerservicenummer: String?
        var geheimhoudingPersoonsgegevens: Bool?
        var naam: Naam?
        var geboorte: Geboorte?
        var adressering: Adressering?
        var nationaliteiten: [Nationaliteit]?

        struct Naam: Decodable {
            var voornamen: String?
            var voorvoegsel: String?
            var geslachtsnaam: String?
        }
        struct Geboorte: Decodable {
            var datum: Datum?
            var plaats: Waarde?
        }
        struct Datum: Decodable {
            var type: String
            var datum: String?
            var langFormaat: String?
        }
        struct Waarde: Decodable {
            var code: String?
            var omschrijving: String?
        }
        struct Adressering: Decodable {
            var adresregel1: String?
            var adresregel2: String?
            var adresregel3: String?
            var land: Waarde?
        }
        struct Nationaliteit: Decodable {
            var type: String
            var nationaliteit: Waarde?
        }

        func registerPerson(bsn: String) -> RegisterPerson {
            let address = [
                adressering?.adresregel1, adressering?.adresregel2, adressering?.adresregel3,
                adressering?.land?.omschrijving,
            ].compactMap { $0 }.filter { !$0.isEmpty }
            let nationalities = (nationaliteiten ?? []).map { entry in
                entry.nationaliteit?.omschrijving ?? (entry.type == "Staatloos" ? "Staatloos" : entry.type)
            }
            let date = geboorte?.datum
            return RegisterPerson(
                bsn: bsn, givenNames: naam?.voornamen ?? "", prefix: naam?.voorvoegsel ?? "",
                surname: naam?.geslachtsnaam ?? "", birthDate: date?.type == "Datum" ? date?.datum : nil,
                birthPlace: geboorte?.plaats?.omschrijving ?? "", address: address, nationalities: nationalities,
                secret: geheimhoudingPersoonsgegevens ?? false)
        }
    }
}

extension String {
    var trimmingTrailingSlash: String { hasSuffix("/") ? String(dropLast()) : self }
}
