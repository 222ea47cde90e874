import ArgumentParser
import Foundation
import KioskControl

struct Diag: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Diagnostics for the supplier or the municipality's IT.", subcommands: [Bundle.self])

    struct Bundle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Write FILE.tar.gz: the config without secrets, versions, devices, USB, the outbox (metadata only), the fault history and recent logs. No personal data."
        )
        @Argument(help: "Where to write the bundle (.tar.gz).") var file: String
        @OptionGroup var common: Common

        func run() async {
            let client = common.client
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-diag-\(getpid())").path
            let folder = dir + "/kiosk-diag"
            defer { try? FileManager.default.removeItem(atPath: dir) }
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                func save(_ name: String, _ text: String) throws {
                    try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                encoder.dateEncodingStrategy = .iso8601
                func json(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
                try save("status.json", try json(try await client.status()))
                try save("faults.json", try json(try await client.faults(all: true, limit: 1000)))
                try save("usb.json", try json(try await client.usb()))
                try save("outbox.json", try json(try await client.queue()))
                try save("kioskd.log", try await client.logs().map(\.line).joined(separator: "\n") + "\n")
                try save("kioskd.yaml", try await client.configText())
                try save("versions.txt", Self.versions())
            } catch let error as ControlError {
                common.fail(error)
            } catch {
                common.fail("cannot write the bundle's files in \(dir): \(error.localizedDescription)")
            }
            let target = file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file
            let tar = Self.run("/bin/tar", ["-czf", target, "-C", dir, "kiosk-diag"])
            guard tar.status == 0 else { common.fail("tar could not write \(target): \(tar.output.prefix(200))") }
            print("diagnostic bundle written to \(target)")
        }

        /// What is installed: the OS, the kernel, and the packages kioskd leans on.
        static func versions() -> String {
            var text = ""
            if let release = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) {
                text += release.split(separator: "\n").first { $0.hasPrefix("PRETTY_NAME=") }.map { $0 + "\n" } ?? ""
            }
            text += "kernel " + run("/bin/uname", ["-srm"]).output
            let packages = ["cups", "libcups2", "pcscd", "libpcsclite1", "libccid", "libusb-1.0-0", "libcairo2", "prometheus-alertmanager"]
            text += run("/usr/bin/dpkg-query", ["-W", "-f", "${Package} ${Version}\n"] + packages).output
            return text
        }

        static func run(_ path: String, _ arguments: [String]) -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            do {
                try process.run()
            } catch {
                return (127, "\(path) cannot be run\n")
            }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
    }
}
