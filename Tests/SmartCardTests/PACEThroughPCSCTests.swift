import Foundation
import KioskTesting
import Testing

/// Every virtual-document profile through the real pcscd, as `kioskctl cardreader test` reads it. Serialized with the other
/// vpcd tests: there is one virtual reader.
extension PCSCReaderTests {
    static let profiles: [(profile: String, mrz: String, access: String)] = [
        ("nl-passport-2025", Specimen.nlPassport2035, "PACE-ECDH-GM-AES-256 on brainpoolP320r1 with the MRZ"),
        ("nl-id-2021", Specimen.nlID2031, "PACE-ECDH-GM-AES-128 on P-256 with the MRZ"),
        ("pace-and-bac", Specimen.nlPassport2035, "PACE-ECDH-GM-AES-128 on brainpoolP256r1 with the MRZ"),
        ("bac-only", Specimen.nlPassport2035, "BAC"),
    ]

    @Test func everyProfileIsReadThroughPCSC() async throws {
        for (profile, mrz, access) in Self.profiles {
            let card = try await PCSCPeer.Card(mrz: mrz, apduDelay: 0, ["--profile", profile])
            let test = try await Self.ctl("cardreader", "test", "--reader", PCSCPeer.reader, "--wait", "5", "--mrz", mrz)
            try await card.remove()
            #expect(test.status == 0, "\(profile): \(test.stderr)")
            #expect(test.stdout.contains("access   \(access)\n"), "\(profile): \(test.stdout)")
            #expect(test.stdout.contains("surname  DE BRUIJN"), "\(profile)")
            try await Harness.eventually("pcscd to see the card gone") {
                try await Self.ctl("cardreader", "status").stdout.contains("\(PCSCPeer.reader): no card")
            }
        }
    }

    @Test func aChipThatWantsTheCANIsOpenedWithIt() async throws {
        let card = try await PCSCPeer.Card(
            mrz: Specimen.nlID2031, apduDelay: 0, ["--profile", "nl-id-2021", "--can", "123456", "--can-only"])
        let without = try await Self.ctl("cardreader", "test", "--wait", "5", "--mrz", Specimen.nlID2031)
        #expect(without.status == 1)
        #expect(without.stderr == "kioskctl: the chip asks for the card access number (CAN)\n")
        let with = try await Self.ctl(
            "cardreader", "test", "--wait", "5", "--json", "--mrz", Specimen.nlID2031, "--can", "123456")
        #expect(with.status == 0, "\(with.stderr)")
        #expect(with.stdout.contains("\"access\" : \"PACE-ECDH-GM-AES-128 on P-256 with the CAN\""))
        #expect(with.stdout.contains("\"documentNumber\" : \"******021\""))
        try await card.remove()
    }
}

/// Passive authentication through the real pcscd: kiosk-emrtd signs EF.SOD under a test PKI made with openssl, and
/// `kioskctl cardreader test --csca` checks it, genuine and forged.
extension PCSCReaderTests {
    /// One test PKI for the run, made by kiosk-emrtd as the demo makes it.
    static let pki = Task { () throws -> String in
        let dir = try Harness.scratch() + "/pki"
        let made = try await Harness.run(try Harness.binary("kiosk-emrtd"), ["--pki", dir, "--init-pki"])
        guard made.status == 0 else { throw HarnessError("kiosk-emrtd --init-pki: \(made.stderr)") }
        return dir
    }

    /// The 2035 passport on nl-passport-2025, signed under the test PKI (forged as `tamper` says), read by
    /// `kioskctl cardreader test` trusting the test CSCA; the card is off the reader again when this returns.
    static func testSignedPassport(tamper: String?) async throws -> Harness.Output {
        let pki = try await Self.pki.value
        let card = try await PCSCPeer.Card(
            mrz: Specimen.nlPassport2035, apduDelay: 0,
            ["--profile", "nl-passport-2025", "--pki", pki] + (tamper.map { ["--tamper", $0] } ?? []))
        let test = try await Self.ctl(
            "cardreader", "test", "--wait", "5", "--mrz", Specimen.nlPassport2035, "--csca", pki + "/csca.pem")
        try await card.remove()
        return test
    }

    @Test func passiveAuthenticationGenuineAndForgedThroughPCSC() async throws {
        let cases: [(tamper: String?, status: Int32, passive: String)] = [
            (
                nil, 0,
                "valid: issued by NL, DS C=NL, O=Kiosk Test, CN=Test Document Signer 1, CSCA C=NL, O=Kiosk Test, CN=Test CSCA NL"
            ),
            ("dg1", 1, "data altered: DG1 does not match the SOD"),
            ("unknown-issuer", 1, "unknown issuer: no trusted CSCA issued the DS C=NL, O=Kiosk Test, CN=Test Document Signer 2"),
            ("sod-signature", 1, "invalid: the signature does not verify"),
        ]
        for (tamper, status, passive) in cases {
            let test = try await Self.testSignedPassport(tamper: tamper)
            #expect(test.status == status, "\(tamper ?? "genuine"): \(test.stdout)\(test.stderr)")
            #expect(test.stdout.contains("passive  " + passive), "\(tamper ?? "genuine"): \(test.stdout)")
        }
    }
}

extension PCSCReaderTests {
    /// The issue's check: the 2035 passport on nl-passport-2025 through pcscd reads with PACE on brainpoolP320r1, passive
    /// authentication valid under the test CSCA and chip authentication valid; a clone fails chip authentication.
    @Test func chipAuthenticationGenuineAndCloneThroughPCSC() async throws {
        for tamper in [nil, "clone"] as [String?] {
            let test = try await Self.testSignedPassport(tamper: tamper)
            #expect(test.stdout.contains("access   PACE-ECDH-GM-AES-256 on brainpoolP320r1 with the MRZ\n"))
            #expect(test.stdout.contains("passive  valid: issued by NL"))
            if tamper == nil {
                #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
                #expect(test.stdout.contains("chip     chip authentication valid (CA-ECDH-AES-256 on brainpoolP512r1)"))
            } else {
                #expect(test.status == 1)
                #expect(test.stdout.contains("chip     failed: "), "\(test.stdout)")
            }
        }
    }
}

extension PCSCReaderTests {
    /// kiosk-emrtd writes a document's elementary files, and plays them back with --from-dir, as a dump of a real
    /// document would be replayed: the data verifies, the chip cannot prove its key.
    @Test func aDumpIsReplayedFromItsFiles() async throws {
        let pki = try await Self.pki.value
        let dump = try Harness.scratch() + "/dump"
        let written = try await Harness.run(
            try Harness.binary("kiosk-emrtd"),
            ["--profile", "nl-passport-2025", "--pki", pki, "--mrz", Specimen.nlPassport2035, "--dump-to", dump])
        #expect(written.status == 0, "\(written.stderr)")
        let card = try await PCSCPeer.Card(mrz: "", apduDelay: 0, ["--from-dir", dump])
        let test = try await Self.ctl(
            "cardreader", "test", "--wait", "5", "--mrz", Specimen.nlPassport2035, "--csca", pki + "/csca.pem")
        try await card.remove()
        #expect(test.stdout.contains("access   PACE-ECDH-GM-AES-256 on brainpoolP320r1 with the MRZ\n"), "\(test.stdout)")
        #expect(test.stdout.contains("passive  valid: issued by NL"))
        #expect(test.stdout.contains("chip     failed: "))
        #expect(test.status == 1)
    }
}
