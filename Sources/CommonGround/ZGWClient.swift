import Foundation
import NIOHTTP1

/// The ZGW APIs as Open Zaak serves them (Catalogi 1.3, Zaken 1.5, Documenten 1.4), with a fresh JWT on every call.
///
/// Only what a kiosk gateway needs: reading the catalogue, and making and finding zaken, rollen, statussen, documents and
/// their links. None of these APIs has an idempotency key; the callers look up by natural key before they create again.
package struct ZGWClient: Sendable {
    let http: BackOfficeHTTP
    let token: ZGWToken
    package let catalogiURL: String
    package let zakenURL: String
    package let documentenURL: String

    package init(http: BackOfficeHTTP, token: ZGWToken, catalogi: String, zaken: String, documenten: String) {
        self.http = http
        self.token = token
        catalogiURL = catalogi.trimmingTrailingSlash
        zakenURL = zaken.trimmingTrailingSlash
        documentenURL = documenten.trimmingTrailingSlash
    }

    /// A page of results, as every ZGW list answers.
    package struct Page<T: Decodable & Sendable>: Decodable, Sendable {
        package var count: Int
        package var next: String?
        package var results: [T]
    }

    func get<T: Decodable>(_ url: String, as type: T.Type, call: String, headers: [(String, String)] = [])
        async throws(BackOfficeError) -> T
    {
        let authorization = try await token.header(call: call)
        let answer = try await http.send(.GET, url, headers: [("Authorization", authorization)] + headers, call: call)
        return try http.decode(T.self, answer, expected: [200], call: call)
    }

    /// Every result of a list, following `next` (at most `pages` pages: a list that long is not what a gateway reads).
    func all<T: Decodable & Sendable>(
        _ url: String, as type: T.Type, call: String, headers: [(String, String)] = [], pages: Int = 20
    )
        async throws(BackOfficeError) -> [T]
    {
        var results: [T] = []
        var next: String? = url
        var read = 0
        while let url = next, read < pages {
            let page = try await get(url, as: Page<T>.self, call: call, headers: headers)
            results += page.results
            next = page.next
            read += 1
        }
        return results
    }

    func post<Body: Encodable, T: Decodable>(
        _ url: String, _ body: Body, as type: T.Type, call: String, headers: [(String, String)] = []
    ) async throws(BackOfficeError) -> T {
        let authorization = try await token.header(call: call)
        let data: Data
        do { data = try JSONEncoder().encode(body) } catch { throw BackOfficeError(.badAnswer, call: call, "\(error)") }
        let answer = try await http.send(
            .POST, url, headers: [("Authorization", authorization), ("Content-Type", "application/json")] + headers,
            body: data, call: call)
        return try http.decode(T.self, answer, expected: [201], call: call)
    }

    /// `?name=value&…`, each value percent-encoded.
    static func query(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?/:")
        return "?"
            + pairs.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
            .joined(separator: "&")
    }
}
