import Foundation

/// Reads the YAML files operators edit (`Flows/`, `Devices/`), for kioskd and `kioskctl flows check` alike.
///
/// The names it returns are the folder as given plus the file name, so messages read `Flows/pickup.yaml:12:5: …`.
public enum OperatorFiles {
    /// Files larger than this are refused: no flow or profile is anywhere near, and a huge file is an attack or an accident.
    static let maxSize = 1 << 20

    public static func yaml(in folder: String) throws(ReadError) -> [(name: String, text: String)] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ReadError("\(folder): no such folder")
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw ReadError("\(folder): cannot list the folder")
        }
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        var files: [(String, String)] = []
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let path = prefix + name
            guard let data = FileManager.default.contents(atPath: path) else { throw ReadError("\(path): cannot read the file") }
            guard data.count <= maxSize else { throw ReadError("\(path): larger than 1 MiB") }
            guard let text = String(data: data, encoding: .utf8) else { throw ReadError("\(path): not UTF-8 text") }
            files.append((path, text))
        }
        return files
    }

    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public let description: String
        init(_ message: String) { description = message }
    }
}
