import CentralAPI
import Foundation
import KioskTesting
import Testing

extension BackOfficeTests {
    /// The BRP's gateway can ask for a client certificate instead of an API key: a second stand-in serves https and takes
    /// only connections with a certificate its CA signed.
    @Test func theRegisterOverMutualTLS() async throws {
        let pki = try await TestCertificates.make()
        let register = try await BackOfficePeer.start(extra: [
            "--tls-cert", pki.serverCertificate, "--tls-key", pki.serverKey, "--client-ca", pki.ca,
        ])
        #expect(register.url.hasPrefix("https://"))
        let backOffice = try await BackOfficePeer.shared.value
        func brp(_ client: TestCertificates) -> String {
            "{url: \"\(register.url)/haalcentraal/api/brp\", certificate: \(client.clientCertificate), "
                + "key: \(client.clientKey), trust: \(pki.ca)}"
        }
        let central = try await Self.ownGateway(config: try backOffice.config(brp: brp(pki)))
        let made = try await CentralPeer.client(timeout: 10, of: central).submitExtractRequest(
            headers: .init(idempotencyKey: UUID().uuidString), body: .json(Self.extract(Self.reference()))
        ).created.body.json
        // Produced: drawn from the register's answer, which came over mutual TLS (the BRP at the shared stand-in was not
        // configured; its admin is behind the same mutual TLS, so the stand-in's own findings are read from its stderr).
        #expect(made.status == .produced)
        try await CentralPeer.stop(central)

        // A certificate another CA signed: the register will not talk. One line, a fault, and still serving.
        let stranger = try await TestCertificates.make()
        let refused = try await Self.ownGateway(config: try backOffice.config(brp: brp(stranger)))
        let client = try await CentralPeer.client(timeout: 10, of: refused)
        let answer = try await client.submitExtractRequest(
            headers: .init(idempotencyKey: UUID().uuidString), body: .json(Self.extract(Self.reference())))
        #expect(try answer.serviceUnavailable.body.applicationProblemJson.title == "The register cannot be reached")
        let lines = Self.log(refused).filter { $0.contains("the BRP") }
        #expect(lines.count == 1, "\(lines)")
        let faults = try await CentralPeer.admin(of: refused).listFaults().ok.body.json
        #expect(faults.contains { $0.code == "register" && $0.device == "backoffice" && $0.resolvedAt == nil }, "\(faults)")
        #expect(try await client.getCatalog().ok.body.json.products.count == 3)
        try await CentralPeer.stop(refused)
        kill(register.pid, SIGKILL)
        let findings = try String(contentsOfFile: register.dir + "/err", encoding: .utf8).split(separator: "\n").filter {
            $0.hasPrefix("commonground-standin: request") || $0.hasPrefix("commonground-standin: response")
        }
        #expect(findings.isEmpty, "\(findings)")
    }
}
