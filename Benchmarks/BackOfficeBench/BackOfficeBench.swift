import BenchSupport
import Foundation
import KioskTesting

/// The back-office benchmark (make bench): kiosk-central as the gateway onto the BRP, Zaken, Documenten and
/// Klantinteracties, against the stand-ins. Per extract request, from the kiosk's POST to the closing status landing at
/// the stand-in (the kiosk fetching the PDF in between, as a kiosk does), against the sum of the stand-ins' own answer
/// times for that request's calls: what is left is the gateway's own share (HTTP, JSON, JWTs, the journal's commits).
@main
struct BackOfficeBench {
    /// One extract request: the wall-clock times of the whole request and of the kiosk's wait, and the stand-in's.
    struct Sample {
        var whole: Double
        var standIns: Double
        var kioskWait: Double
        var register: Double
        var calls: Int
    }

    static func main() async throws {
        let requests = Int(ProcessInfo.processInfo.environment["BACKOFFICE_BENCH_REQUESTS"] ?? "") ?? 200
        let backOffice = try await BackOfficePeer.start()
        // BACKOFFICE_BENCH_DATABASE: kiosk-central's database elsewhere (on /dev/shm, to see what the journal's fsyncs cost).
        let central = try await CentralPeer.start(
            database: ProcessInfo.processInfo.environment["BACKOFFICE_BENCH_DATABASE"],
            extra: ["--backend", "commonground", "--config", try backOffice.config()])
        let client = CentralHTTP(url: central.url, token: CentralPeer.kioskToken)
        // The first requests read the catalogue, open connections and warm both processes; they are not counted. They
        // also say how many calls one request makes, so that the measured ones wait on the stand-in only once each.
        var calls = 0
        for index in 0..<10 { calls = try await extract(index, calls: nil, client: client, backOffice: backOffice).calls }
        var samples: [Sample] = []
        for index in 0..<requests {
            samples.append(try await extract(index, calls: calls, client: client, backOffice: backOffice))
        }
        let floor = try await bareRoundTrips(backOffice)
        let violations = try await backOffice.violations()
        guard violations.isEmpty else { throw PeerError("the stand-in found violations:\n\(violations.joined(separator: "\n"))") }
        report(samples, floor: floor)
        kill(central.pid, SIGTERM)
        kill(backOffice.pid, SIGKILL)
    }

    /// One request. `calls`: how many stand-in calls to wait for at once; nil waits call by call for the second status.
    static func extract(_ index: Int, calls expected: Int?, client: CentralHTTP, backOffice: RunningBackOffice) async throws
        -> Sample
    {
        let before = try await backOffice.requestCount()
        let start = ContinuousClock.now
        let answer = try await client.post("/v1/extract-requests", json: request(), idempotencyKey: UUID().uuidString)
        let answered = ContinuousClock.now
        guard let document = try JSONDecoder().decode(ExtractCase.self, from: answer).documentId else {
            throw PeerError("request \(index) produced no document")
        }
        _ = try await client.get("/v1/documents/\(document)")
        // Done once the stand-in answered the second status (received, then closed): the gateway's last call.
        var calls: [[String: Any]] = []
        while calls.filter(isStatus).count < 2 {
            let wanted = max(1, (expected ?? 1) - calls.count)
            calls += try await backOffice.requests(after: before + calls.count, atLeast: wanted, wait: 30)
        }
        let end = ContinuousClock.now
        let millis = calls.map { $0["millis"] as? Double ?? 0 }
        guard calls.allSatisfy({ ($0["status"] as? Int).map { $0 < 300 } ?? false }) else {
            throw PeerError("request \(index): a call failed: \(calls.map { "\($0["path"] ?? "") \($0["status"] ?? "")" })")
        }
        let register = calls.first { ($0["path"] as? String ?? "").hasSuffix("/personen") }?["millis"] as? Double ?? 0
        return Sample(
            whole: milliseconds(end - start), standIns: millis.reduce(0, +), kioskWait: milliseconds(answered - start),
            register: register,
            calls: calls.count)
    }

    /// The floor under every call: a bare HTTP round trip to the same stand-in (its smallest admin answer), 200 times.
    static func bareRoundTrips(_ backOffice: RunningBackOffice) async throws -> [Double] {
        var times: [Double] = []
        for _ in 0..<210 {
            let start = ContinuousClock.now
            _ = try await backOffice.requestCount()
            times.append(milliseconds(start))
        }
        return Array(times.dropFirst(10))
    }

    static func isStatus(_ call: [String: Any]) -> Bool {
        call["method"] as? String == "POST" && (call["path"] as? String ?? "").hasSuffix("/statussen")
    }

    /// A standard extract request for the specimen, as a kiosk sends it after a chip read (the central's ExtractRequest).
    static func request() -> ExtractRequest {
        ExtractRequest(
            reference: "TLB-BENCH-\(UUID().uuidString.prefix(8))", kioskId: "bench-kiosk", product: "standard", feeCents: 1440,
            bsn: Specimen.nlBSN, bsnSource: "chip",
            identity: .init(
                documentCode: "P", issuer: "NLD", documentNumber: "SPECI2025", surname: "DE BRUIJN",
                givenNames: "WILLEKE LISELOTTE", nationality: "NLD", birthDate: "650310", sex: "F", expiryDate: "350309",
                personalNumber: Specimen.nlBSN),
            language: "nl")
    }

    /// The central's ExtractRequest, as the bench sends it.
    struct ExtractRequest: Encodable {
        struct Identity: Encodable {
            var documentCode, issuer, documentNumber, surname, givenNames, nationality, birthDate, sex, expiryDate: String
            var personalNumber: String
        }
        var reference, kioskId, product: String
        var feeCents: Int
        var bsn, bsnSource: String
        var identity: Identity
        var language: String
    }

    /// What the bench reads of the answer (the central's ExtractCase).
    struct ExtractCase: Decodable { var documentId: String? }

    static func report(_ samples: [Sample], floor: [Double]) {
        let p = percentile
        let whole = samples.map(\.whole)
        let standIns = samples.map(\.standIns)
        let calls = Set(samples.map(\.calls)).sorted()
        print("back office, \(samples.count) standard extract requests, one at a time, \(calls) stand-in calls each:")
        print(String(format: "  whole request (POST to closing status)  p50 %.2f ms  p99 %.2f ms", p(whole, 0.5), p(whole, 0.99)))
        print(
            String(
                format: "  the stand-ins' own answer times, summed p50 %.2f ms  p99 %.2f ms", p(standIns, 0.5),
                p(standIns, 0.99)))
        print(
            String(
                format: "  ratio %.2f (p50), %.2f (p99); the gateway's own share p50 %.2f ms", p(whole, 0.5) / p(standIns, 0.5),
                p(whole, 0.99) / p(standIns, 0.99), p(samples.map { $0.whole - $0.standIns }, 0.5)))
        print(
            String(
                format: "  a bare HTTP round trip to the stand-in (the floor under each call)  p50 %.2f ms; %d of them %.2f ms",
                p(floor, 0.5), calls.first ?? 0, p(floor, 0.5) * Double(calls.first ?? 0)))
        let wait = samples.map(\.kioskWait)
        let register = samples.map(\.register)
        print(
            String(
                format:
                    "  the kiosk's wait (POST to 201: BRP, PDF, commit)  p50 %.2f ms  p99 %.2f ms; the BRP's answer p50 %.2f ms",
                p(wait, 0.5), p(wait, 0.99), p(register, 0.5)))
    }
}
