import ArgumentParser
import Foundation
import KioskCore
import MRTD
import SmartCard

/// `kioskctl cardreader`: the technician's check of the card reader, straight through pcscd.
///
/// PC/SC readers are shared, so this works beside a running kioskd, and also with kioskd stopped, which is when a technician
/// needs it most; it is the one verb that does not go through the control socket.
struct CardReaderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cardreader", abstract: "Check the card readers through pcscd: readers, cards, ATR, a chip read.",
        subcommands: [Status.self, Test.self], defaultSubcommand: Status.self)

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the readers pcscd knows and the card on each.")
        @Flag(name: .long, help: "Print JSON instead of text.") var json = false

        func run() async throws {
            let states: [PCSCContext.ReaderState]
            do {
                states = try await PCSCContext(label: "kioskctl").states()
            } catch {
                CardReaderCommand.fail(error.description, json: json)
            }
            if json { return CardReaderCommand.printJSON(states) }
            if states.isEmpty { print("no card reader: pcscd runs but lists none (is the reader plugged in?)") }
            for state in states {
                print("\(state.reader): " + (state.cardPresent ? "card present, ATR \(state.atr.hex)" : "no card"))
            }
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Wait for a card and print its ATR; with --mrz, open the chip (PACE or BAC) and print DG1.",
            discussion: "The document number is masked but for its last 3 characters, unless --show-pii.")
        @Option(help: "A part of the reader's name (default: the first reader).") var reader = ""
        @Option(help: "Seconds to wait for a card.") var wait = 30.0
        @Option(help: "The document's MRZ (lines joined by \\n, or one run of 88 or 90 characters).") var mrz: String?
        @Option(help: "The card access number printed on the card, for a chip that asks for it (PACE).") var can: String?
        @Option(help: "A CSCA certificate (DER or PEM) to check passive authentication against; repeatable.")
        var csca: [String] = []
        @Option(help: "An ICAO master list of CSCAs (needs --master-list-root).") var masterList: String?
        @Option(help: "The root the master list is signed under (CSCA NL for the Dutch list).") var masterListRoot: String?
        @Flag(name: .customLong("show-pii"), help: "Print the document number in full.") var showPII = false
        @Flag(name: .long, help: "Print JSON instead of text.") var json = false

        struct Report: Encodable {
            var reader: String
            var atr: String
            var protocolName: String
            var access: String?
            var passive: String?
            var antiClone: String?
            var apdus: Int?
            var milliseconds: Int?
            var holder: [String: String]?
        }

        func run() async throws {
            let key: AccessKey?
            do {
                key = try mrz.map { try MRZ($0.replacingOccurrences(of: "\\n", with: "\n")).accessKey }
            } catch {
                CardReaderCommand.fail("--mrz: \(error)", json: json)
            }
            var trust: TrustStore?
            if masterList != nil || !csca.isEmpty {
                do {
                    trust = try TrustStore.load(masterList: masterList, root: masterListRoot, cscaFiles: csca).0
                } catch {
                    CardReaderCommand.fail(error.description, json: json)
                }
            }
            let context = PCSCContext(label: "kioskctl")
            do {
                guard let name = try await context.readers().first(where: { reader.isEmpty || $0.contains(reader) }) else {
                    CardReaderCommand.fail(reader.isEmpty ? "no card reader" : "no reader matches '\(reader)'", json: json)
                }
                if !json { print("reader   \(name)\nwaiting up to \(Int(wait)) s for a card...") }
                let state = try await context.waitForCard(on: name, seconds: wait)
                guard state.cardPresent else { CardReaderCommand.fail("no card on \(name) within \(Int(wait)) s", json: json) }
                let card = try await context.connect(name)
                var passiveFailed = false
                var report = Report(
                    reader: name, atr: card.atr.hex, protocolName: card.protocolT1 ? "T=1" : "T=0")
                if !json { print("card     ATR \(report.atr), protocol \(report.protocolName)") }
                if let key {
                    let start = ContinuousClock.now
                    let result: ChipReader.Result
                    let identity: Identity
                    do {
                        result = try await ChipReader.read(T0Transport(card), key: DocumentKey(key.with(can: can)), trust: trust)
                        identity = try result.dg1.identity
                    } catch {
                        await card.disconnect()
                        CardReaderCommand.fail(error.description, json: json)
                    }
                    await card.disconnect()
                    let elapsed = ContinuousClock.now - start
                    report.apdus = result.apdus
                    report.access = result.access.description
                    report.passive = result.passive?.description ?? "not checked (no --csca or --master-list)"
                    report.antiClone = result.antiClone?.description ?? "not checked (no --csca or --master-list)"
                    passiveFailed =
                        result.passive.map { !$0.isValid } ?? false || result.antiClone.map { !$0.isValid } ?? false
                    report.milliseconds = Int(
                        elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
                    report.holder = holder(identity)
                    if !json {
                        print("access   \(result.access)")
                        print("passive  \(report.passive ?? "")")
                        print("chip     \(report.antiClone ?? "")")
                        print("read     \(result.apdus) APDUs in \(report.milliseconds ?? 0) ms")
                        for (label, field) in Self.fields {
                            print("\(label.padding(toLength: 9, withPad: " ", startingAt: 0))\(report.holder?[field] ?? "")")
                        }
                    }
                } else {
                    await card.disconnect()
                }
                if json { CardReaderCommand.printJSON(report) }
                // A document whose passive authentication failed is a failing check: exit 1, as systemctl would.
                if passiveFailed { Foundation.exit(1) }
            } catch {
                CardReaderCommand.fail(error.description, json: json)
            }
        }

        static let fields = [
            ("surname", "surname"), ("given", "givenNames"), ("document", "documentNumber"), ("code", "documentCode"),
            ("issuer", "issuer"), ("national", "nationality"), ("born", "birthDate"), ("sex", "sex"), ("expires", "expiryDate"),
        ]

        func holder(_ identity: Identity) -> [String: String] {
            [
                "surname": identity.surname, "givenNames": identity.givenNames,
                "documentNumber": showPII ? identity.documentNumber : identity.maskedDocumentNumber,
                "documentCode": identity.documentCode, "issuer": identity.issuer, "nationality": identity.nationality,
                "birthDate": identity.birthDate, "sex": identity.sex, "expiryDate": identity.expiryDate,
            ]
        }
    }

    static func printJSON(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        if let data = try? encoder.encode(value) { print(String(decoding: data, as: UTF8.self)) }
    }

    static func fail(_ message: String, json: Bool) -> Never {
        if json {
            printJSON(["ok": "false", "message": message])
        } else {
            FileHandle.standardError.write(Data("kioskctl: \(message)\n".utf8))
        }
        Foundation.exit(1)
    }
}
