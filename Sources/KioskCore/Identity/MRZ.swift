internal import Foundation

/// The machine-readable zone of a travel document, parsed and checked (ICAO Doc 9303 parts 3, 4 and 5).
///
/// TD1 is the ID-card format (three lines of 30), TD3 the passport format (two lines of 44). Every check digit is verified:
/// document number, birth date, expiry, the optional personal number of TD3, and the composite. The MRZ is personal data, so
/// neither this type nor its errors ever print its contents.
public struct MRZ: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public enum Format: String, Sendable, Equatable {
        case td1, td3
    }

    public let format: Format
    public let documentCode: String
    public let issuer: String
    /// The full document number, including the TD1 long-number continuation, without fillers.
    public let documentNumber: String
    public let documentNumberCheck: Character
    public let nationality: String
    /// `YYMMDD`, as in the MRZ.
    public let birthDate: String
    public let sex: String
    /// `YYMMDD`, as in the MRZ.
    public let expiryDate: String
    public let surname: String
    public let givenNames: String
    /// Optional data (TD3: the personal number), without fillers.
    public let optionalData: String

    /// The BAC access key this document's chip expects.
    public var accessKey: AccessKey {
        AccessKey(checkedDocumentNumber: documentNumber, birthDate: birthDate, expiryDate: expiryDate)
    }

    public var description: String { "MRZ(\(format.rawValue), redacted)" }
    public var debugDescription: String { description }

    /// Parses an MRZ given as its lines joined by newlines, or as one run of 88 or 90 characters.
    ///
    /// Lower case is accepted (some scanners send it); spaces and carriage returns are ignored.
    /// - throws: ``MRZError`` naming the line, column or field that is wrong, never the value.
    public init(_ text: String) throws(MRZError) {
        let upper = text.uppercased().filter { $0 != " " && $0 != "\r" && $0 != "\t" }
        var lines = upper.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        if lines.count == 1 {
            let one = lines[0]
            switch one.count {
            case 90: lines = stride(from: 0, to: 90, by: 30).map { MRZ.slice(one, $0, 30) }
            case 88: lines = [MRZ.slice(one, 0, 44), MRZ.slice(one, 44, 44)]
            default: throw MRZError(.unknownLength(one.count))
            }
        }
        for (row, line) in lines.enumerated() {
            if let column = line.firstIndex(where: { !MRZ.isMRZCharacter($0) }) {
                throw MRZError(.badCharacter(line: row + 1, column: line.distance(from: line.startIndex, to: column) + 1))
            }
        }
        switch (lines.count, lines.map(\.count)) {
        case (3, [30, 30, 30]): self = try MRZ.parseTD1(lines)
        case (2, [44, 44]): self = try MRZ.parseTD3(lines)
        default: throw MRZError(.wrongShape(lines.map(\.count)))
        }
    }

    private init(
        format: Format, documentCode: String, issuer: String, documentNumber: String, documentNumberCheck: Character,
        nationality: String, birthDate: String, sex: String, expiryDate: String, names: String, optionalData: String
    ) {
        self.format = format
        self.documentCode = MRZ.trimFillers(documentCode)
        self.issuer = MRZ.trimFillers(issuer)
        self.documentNumber = documentNumber
        self.documentNumberCheck = documentNumberCheck
        self.nationality = MRZ.trimFillers(nationality)
        self.birthDate = birthDate
        self.sex = sex == "<" ? "X" : sex
        self.expiryDate = expiryDate
        (surname, givenNames) = MRZ.splitNames(names)
        self.optionalData = MRZ.trimFillers(optionalData)
    }

    // MARK: - TD1 and TD3

    private static func parseTD1(_ l: [String]) throws(MRZError) -> MRZ {
        var number = slice(l[0], 5, 9)
        var numberCheck = char(l[0], 14)
        var optional = slice(l[0], 15, 15)
        if numberCheck == "<" {
            // Doc 9303-5 note j: a long document number continues in the optional data; its last character there is the check digit.
            let run = optional.prefix { $0 != "<" }
            guard run.count >= 2 else { throw MRZError(.checkDigit(.documentNumber)) }
            number += run.dropLast()
            numberCheck = run.last!
            optional = String(optional.dropFirst(run.count))
        }
        number = trimFillers(number)
        try verify(number.padding(toAtLeast: 9), numberCheck, .documentNumber)
        let birth = slice(l[1], 0, 6)
        try verify(birth, char(l[1], 6), .birthDate)
        let expiry = slice(l[1], 8, 6)
        try verify(expiry, char(l[1], 14), .expiryDate)
        let composite = slice(l[0], 5, 25) + slice(l[1], 0, 7) + slice(l[1], 8, 7) + slice(l[1], 18, 11)
        try verify(composite, char(l[1], 29), .composite)
        return MRZ(
            format: .td1, documentCode: slice(l[0], 0, 2), issuer: slice(l[0], 2, 3), documentNumber: number,
            documentNumberCheck: numberCheck, nationality: slice(l[1], 15, 3), birthDate: birth, sex: slice(l[1], 7, 1),
            expiryDate: expiry, names: l[2], optionalData: optional + slice(l[1], 18, 11))
    }

    private static func parseTD3(_ l: [String]) throws(MRZError) -> MRZ {
        let number = slice(l[1], 0, 9)
        try verify(number, char(l[1], 9), .documentNumber)
        let birth = slice(l[1], 13, 6)
        try verify(birth, char(l[1], 19), .birthDate)
        let expiry = slice(l[1], 21, 6)
        try verify(expiry, char(l[1], 27), .expiryDate)
        let personal = slice(l[1], 28, 14)
        let personalCheck = char(l[1], 42)
        // Doc 9303-4: when the personal number is all fillers its check digit may be '<' or '0'.
        if !(personalCheck == "<" && personal.allSatisfy({ $0 == "<" })) {
            try verify(personal, personalCheck, .personalNumber)
        }
        let composite = slice(l[1], 0, 10) + slice(l[1], 13, 7) + slice(l[1], 21, 22)
        try verify(composite, char(l[1], 43), .composite)
        return MRZ(
            format: .td3, documentCode: slice(l[0], 0, 2), issuer: slice(l[0], 2, 3), documentNumber: trimFillers(number),
            documentNumberCheck: char(l[1], 9), nationality: slice(l[1], 10, 3), birthDate: birth, sex: slice(l[1], 20, 1),
            expiryDate: expiry, names: slice(l[0], 5, 39), optionalData: personal)
    }

    // MARK: - Check digits

    /// The ICAO 9303-3 check digit: weights 7, 3, 1 over the character values (`<` = 0, digits as such, A = 10 … Z = 35).
    public static func checkDigit(_ field: String) -> Character {
        let weights = [7, 3, 1]
        var sum = 0
        for (i, c) in field.enumerated() {
            sum += value(of: c) * weights[i % 3]
        }
        return Character(String(sum % 10))
    }

    static func value(of c: Character) -> Int {
        if let d = c.wholeNumberValue, c.isASCII { return d }
        if let a = c.asciiValue, a >= 65, a <= 90 { return Int(a) - 55 }
        return 0
    }

    private static func verify(_ field: String, _ check: Character, _ name: MRZError.Field) throws(MRZError) {
        guard check.isASCII, check.isNumber, checkDigit(field) == check else { throw MRZError(.checkDigit(name)) }
    }

    // MARK: - Helpers

    static func isMRZCharacter(_ c: Character) -> Bool {
        guard let a = c.asciiValue else { return false }
        return (a >= 48 && a <= 57) || (a >= 65 && a <= 90) || a == 60
    }

    static func slice(_ s: String, _ start: Int, _ length: Int) -> String {
        let a = s.index(s.startIndex, offsetBy: start)
        return String(s[a..<s.index(a, offsetBy: length)])
    }

    static func char(_ s: String, _ at: Int) -> Character {
        s[s.index(s.startIndex, offsetBy: at)]
    }

    static func trimFillers(_ s: String) -> String {
        var t = Substring(s)
        while t.last == "<" { t = t.dropLast() }
        return String(t)
    }

    /// `ERIKSSON<<ANNA<MARIA<<<` becomes ("ERIKSSON", "ANNA MARIA").
    static func splitNames(_ field: String) -> (String, String) {
        let trimmed = trimFillers(field)
        let parts = trimmed.components(separatedBy: "<<")
        let surname = parts[0].replacingOccurrences(of: "<", with: " ")
        let given = parts.dropFirst().joined(separator: " ").replacingOccurrences(of: "<", with: " ")
            .split(separator: " ").joined(separator: " ")
        return (surname, given)
    }
}

/// Why an MRZ was refused. It names a line, a column or a field, and never repeats what the document says.
public struct MRZError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Field: String, Sendable, Equatable {
        case documentNumber = "document number"
        case birthDate = "birth date"
        case expiryDate = "expiry date"
        case personalNumber = "personal number"
        case composite = "composite"
    }

    public enum Kind: Sendable, Equatable {
        case unknownLength(Int)
        case wrongShape([Int])
        case badCharacter(line: Int, column: Int)
        case checkDigit(Field)
    }

    public let kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    public var description: String {
        switch kind {
        case .unknownLength(let n):
            "MRZ of \(n) characters: expected 3 lines of 30 (ID card, TD1) or 2 lines of 44 (passport, TD3)"
        case .wrongShape(let lengths):
            "MRZ lines of \(lengths.map(String.init).joined(separator: ", ")) characters: expected 3×30 (TD1) or 2×44 (TD3)"
        case .badCharacter(let line, let column):
            "MRZ line \(line), column \(column): only A-Z, 0-9 and '<' are allowed"
        case .checkDigit(let field):
            "MRZ check digit of the \(field.rawValue) does not match"
        }
    }
}

extension String {
    func padding(toAtLeast length: Int) -> String {
        count >= length ? self : self + String(repeating: "<", count: length - count)
    }
}
