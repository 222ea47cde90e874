import Foundation

/// Graphviz's `dot` program (Debian package graphviz), which lays a flow's diagram out.
enum Graphviz {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// `dot` on the PATH, if there is one.
    static var program: String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map { "\($0)/dot" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Lays `source` out in `format` (svg, png, …) and returns what dot wrote; dot's first complaint as the error.
    static func render(_ source: String, format: String) throws(Failure) -> Data {
        guard let program else { throw Failure(description: "the dot program is missing (Debian package graphviz)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = ["-T\(format)"]
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { throw Failure(description: "dot did not start: \(error)") }
        // Read while dot writes, so that a large diagram cannot fill the pipe and stall it.
        let reader = Thread {
            input.fileHandleForWriting.write(Data(source.utf8)); try? input.fileHandleForWriting.close()
        }
        reader.start()
        let drawn = output.fileHandleForReading.readDataToEndOfFile()
        let complaint = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0, !drawn.isEmpty else {
            let line = complaint.split(separator: "\n").first.map(String.init) ?? "exit status \(process.terminationStatus)"
            throw Failure(description: "dot could not lay it out: \(line)")
        }
        return drawn
    }
}
