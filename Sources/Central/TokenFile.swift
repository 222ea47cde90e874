import Foundation

/// Reads a bearer token from a file only its owner may read (mode 0600 or stricter), for kioskd and kiosk-central alike.
public enum TokenFile {
    /// - throws: ``TokenFileError`` with one line when the file is missing, readable by others, or holds a short token.
    public static func read(_ path: String) throws(TokenFileError) -> String {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let mode = attributes[.posixPermissions] as? Int
        else { throw TokenFileError("cannot read the token file \(path)") }
        guard mode & 0o077 == 0 else {
            throw TokenFileError("the token file \(path) is readable by others (mode \(String(mode, radix: 8))); chmod 600 it")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw TokenFileError("cannot read the token file \(path)")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.count >= 16 else { throw TokenFileError("the token in \(path) is shorter than 16 characters") }
        return token
    }
}

public struct TokenFileError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ message: String) { description = message }
}
