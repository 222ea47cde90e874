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
            let staging: DiagStaging
            do {
                staging = try DiagStaging()
            } catch {
                common.fail("cannot make a private folder for the bundle in \(error)")
            }
            let target = file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file
            let problem = await make(in: staging, to: target)
            // Removed whatever happened, before kioskctl exits: nothing of a failed bundle stays behind.
            staging.remove()
            if let problem { common.fail(problem.message, status: problem.status) }
            print("diagnostic bundle written to \(target)")
        }

        /// Gathers the files, archives them in the private folder and delivers the archive; nil when all went well.
        private func make(in staging: DiagStaging, to target: String) async -> (message: String, status: Int32)? {
            let client = common.client
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            func json(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
            do {
                try staging.save("status.json", try json(try await client.status()))
                try staging.save("faults.json", try json(try await client.faults(all: true, limit: 1000)))
                try staging.save("usb.json", try json(try await client.usb()))
                try staging.save("outbox.json", try json(try await client.queue()))
                try staging.save("kioskd.log", try await client.logs().map(\.line).joined(separator: "\n") + "\n")
                try staging.save("kioskd.yaml", try await client.configText())
                try staging.save("versions.txt", Self.versions())
            } catch let error as ControlError {
                return (error.description, error.exitStatus)
            } catch let error as DiagStaging.Failure {
                return ("cannot write the bundle's file \(error)", 1)
            } catch {
                return ("cannot write the bundle's files: \(error)", 1)
            }
            let archive = staging.root + "/bundle.tar.gz"
            let tar = Self.run("/bin/tar", ["-czf", archive, "-C", staging.root, "kiosk-diag"])
            guard tar.status == 0 else { return ("tar could not make the bundle: \(tar.output.prefix(200))", 1) }
            do {
                try staging.deliver(archive, to: target)
            } catch {
                return ("cannot write the bundle to \(error)", 1)
            }
            return nil
        }

        /// What is installed: the OS, the kernel, and the packages kioskd leans on.
        static func versions() -> String {
            var text = ""
            if let release = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) {
                text += release.split(separator: "\n").first { $0.hasPrefix("PRETTY_NAME=") }.map { $0 + "\n" } ?? ""
            }
            text += "kernel " + run("/bin/uname", ["-srm"]).output
            let packages = [
                "cups", "libcups2", "pcscd", "libpcsclite1", "libccid", "libusb-1.0-0", "libcairo2", "prometheus-alertmanager",
            ]
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
