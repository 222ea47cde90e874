import Foundation
import KioskTesting
import Testing

@testable import KioskCore

/// Specimens from ICAO Doc 9303 part 4 (TD3) and part 5 (TD1), and the BAC worked example of part 11, Appendix D.
@Suite struct MRZTests {
    static let td3 = Specimen.td3
    static let td1 = Specimen.td1

    @Test func part4_td3SpecimenParses() throws {
        let mrz = try MRZ(Self.td3)
        #expect(mrz.format == .td3)
        #expect(mrz.documentCode == "P")
        #expect(mrz.issuer == "UTO")
        #expect(mrz.documentNumber == "L898902C3")
        #expect(mrz.nationality == "UTO")
        #expect(mrz.birthDate == "740812")
        #expect(mrz.sex == "F")
        #expect(mrz.expiryDate == "120415")
        #expect(mrz.surname == "ERIKSSON")
        #expect(mrz.givenNames == "ANNA MARIA")
        #expect(mrz.optionalData == "ZE184226B")
    }

    @Test func part5_td1SpecimenParses() throws {
        let mrz = try MRZ(Self.td1)
        #expect(mrz.format == .td1)
        #expect(mrz.documentCode == "I")
        #expect(mrz.documentNumber == "D23145890")
        #expect(mrz.birthDate == "740812")
        #expect(mrz.expiryDate == "120415")
        #expect(mrz.nationality == "UTO")
        #expect(mrz.surname == "ERIKSSON")
        #expect(mrz.givenNames == "ANNA MARIA")
    }

    @Test func oneRunWithoutNewlinesAndLowerCaseIsAccepted() throws {
        let run = Self.td1.replacingOccurrences(of: "\n", with: "").lowercased()
        #expect(try MRZ(run).format == .td1)
        #expect(try MRZ(Self.td3.replacingOccurrences(of: "\n", with: "")).format == .td3)
    }

    /// Doc 9303-5, note j: a `<` in the check-digit position means the number continues in the optional data.
    @Test func part5_td1LongDocumentNumber() throws {
        let number = "D23145890734"
        let check = MRZ.checkDigit(number)
        #expect(check == "9")  // the value printed in the specimen of Doc 9303-5, 4.2.4
        let line1 = "I<UTO" + "D23145890" + "<" + "734" + String(check) + "<<<<<<<<<<<"
        let line2Body = "7408122F1204159UTO<<<<<<<<<<<"
        let composite = String(line1.dropFirst(5)) + "7408122" + "1204159" + "<<<<<<<<<<<"
        let line2 = line2Body + String(MRZ.checkDigit(composite))
        let mrz = try MRZ([line1, line2, "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"].joined(separator: "\n"))
        #expect(mrz.documentNumber == number)
        #expect(mrz.documentNumberCheck == "9")
        #expect(mrz.accessKey.mrzInformation.hasPrefix(number + "9"))
    }

    @Test(arguments: [
        (1, 9, MRZError.Field.documentNumber), (1, 19, .birthDate), (1, 27, .expiryDate), (1, 42, .personalNumber),
        (1, 43, .composite),
    ])
    func td3EveryCheckDigitIsVerified(line: Int, column: Int, field: MRZError.Field) {
        #expect(throws: MRZError(.checkDigit(field))) { try MRZ(Self.corrupt(Self.td3, line: line, column: column)) }
    }

    @Test(arguments: [(0, 14, MRZError.Field.documentNumber), (1, 6, .birthDate), (1, 14, .expiryDate), (1, 29, .composite)])
    func td1EveryCheckDigitIsVerified(line: Int, column: Int, field: MRZError.Field) {
        #expect(throws: MRZError(.checkDigit(field))) { try MRZ(Self.corrupt(Self.td1, line: line, column: column)) }
    }

    @Test func wrongLengthsAndCharactersAreNamedWithoutTheContents() {
        #expect(throws: MRZError(.unknownLength(5))) { try MRZ("ABCDE") }
        #expect(throws: MRZError(.wrongShape([44, 43]))) { try MRZ(String(Self.td3.dropLast())) }
        let bad = Self.td3.replacingOccurrences(of: "ERIKSSON", with: "ERIK$SON")
        #expect(throws: MRZError(.badCharacter(line: 1, column: 10))) { try MRZ(bad) }
        let message = (try? MRZ(bad)).map { _ in "" } ?? "\(MRZError(.badCharacter(line: 1, column: 10)))"
        #expect(!message.contains("ERIK"))
    }

    @Test func descriptionsHideEverything() throws {
        let mrz = try MRZ(Self.td3)
        #expect(!"\(mrz)".contains("ERIKSSON"))
        #expect(!"\(Identity(mrz: mrz))".contains("ERIKSSON"))
        #expect(!"\(mrz.accessKey)".contains("L898"))
        let request = ExtractRequest(
            product: "standard", feeCents: 1440, bsn: "123456782", identity: Identity(mrz: mrz), language: .nl)
        for text in [
            "\(request)", "\(ServiceRequest.extractRequest(request))",
            "\(Effect.callService(request: 1, .extractRequest(request)))",
        ] {
            #expect(!text.contains("123456782") && !text.contains("ERIKSSON"), "\(text)")
        }
        let result = ServiceResult(.accepted, fields: ["extractText": "Naam: Anna Maria Eriksson\nBSN: 123456782"])
        #expect("\(result)" == "ServiceResult(accepted, fields: [\"extractText\"])")
    }

    /// Doc 9303-11, Appendix D.2: the MRZ information BAC hashes.
    @Test func appendixD2_mrzInformation() throws {
        let key = try AccessKey(
            documentNumber: "L898902C", birth: #require(CalendarDate(year: 1969, month: 8, day: 6)),
            expiry: #require(CalendarDate(year: 1994, month: 6, day: 23)))
        #expect(key.mrzInformation == "L898902C<369080619406236")
    }

    @Test func identityNamesReadNaturally() throws {
        let identity = Identity(mrz: try MRZ(Self.td3))
        #expect(identity.displayName == "Anna Maria Eriksson")
        #expect(identity.maskedDocumentNumber == "******2C3")
    }

    /// Replaces one character with a different digit.
    static func corrupt(_ mrz: String, line: Int, column: Int) -> String {
        var lines = mrz.split(separator: "\n").map { Array($0) }
        let old = lines[line][column]
        lines[line][column] = old == "1" ? "2" : "1"
        return lines.map { String($0) }.joined(separator: "\n")
    }
}
