import ArgumentParser
import KioskControl

struct Sim: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Drive the simulated devices and the in-process central of a running kioskd.",
        subcommands: [Card.self, Printer.self, Scan.self, Central.self])

    struct Card: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lay a document on the simulated card reader, or take it off.", subcommands: [Present.self, Remove.self])

        struct Present: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Lay a document with this MRZ on the reader.")
            @Option(help: ArgumentHelp("The document's MRZ: TD1 (3×30) or TD3 (2×44), lines joined or separated by newlines."))
            var mrz: String
            @Option(help: "A forged document: dg1 (data altered), sod-signature, unknown-issuer, unsigned (no SOD) or clone.")
            var tamper: String?
            @Option(help: "The chip opens only with this card access number (6 digits), as a PACE chip that asks for it.")
            var can: String?
            @OptionGroup var common: Common
            func run() async {
                await common.send("/v1/sim/card", SimCardRequest(action: .present, mrz: mrz, tamper: tamper, can: can))
            }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Take the document off the reader.")
            @OptionGroup var common: Common
            func run() async { await common.send("/v1/sim/card", SimCardRequest(action: .remove)) }
        }
    }

    struct Printer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set the simulated printer's condition.")
        @Argument(help: "ok, paper-low, paper-out, jam or offline")
        var condition: String
        @OptionGroup var common: Common
        func run() async { await common.send("/v1/sim/printer", SimPrinterRequest(condition: condition)) }
    }

    struct Scan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let the simulated scanner read an MRZ or a barcode.")
        @Argument(help: "What the scanner reads.")
        var code: String
        @OptionGroup var common: Common
        func run() async { await common.send("/v1/sim/scan", SimScanRequest(code: code)) }
    }

    struct Central: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Switch the in-process central online or offline.")
        @Argument(help: "online or offline")
        var state: String
        @OptionGroup var common: Common
        func validate() throws {
            guard ["online", "offline"].contains(state) else { throw ValidationError("say online or offline, not '\(state)'") }
        }
        func run() async { await common.send("/v1/sim/central", SimCentralRequest(online: state == "online")) }
    }
}

struct Press: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Press a button on the resident screen, as a resident would.",
        discussion:
            "ACTION is start:FLOW, option:ID, next, submit, retry, finish, keep-going, back, stop, language or call-staff.")
    @Argument(help: "The button's action.")
    var action: String
    @OptionGroup var common: Common
    func run() async { await common.send("/v1/input", InputRequest(action: action)) }
}

struct TypeText: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "type", abstract: "Type text into the screen's input field.")
    @Argument(help: "The text.")
    var text: String
    @OptionGroup var common: Common
    func run() async { await common.send("/v1/input", InputRequest(text: text)) }
}
