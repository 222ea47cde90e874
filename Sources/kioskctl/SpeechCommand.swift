import ArgumentParser
import Foundation
import KioskControl

struct SpeechCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speech", abstract: "Speech output: say a test sentence through the sound card.",
        subcommands: [Test.self], defaultSubcommand: Test.self)

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say a test sentence in the screen's language, whatever the speech mode (exit 1 if it fails).")
        @OptionGroup var common: Common

        func run() async {
            do {
                let reply = try await common.client.speechTest()
                common.json ? common.printJSON(reply) : print(reply.message)
                if !reply.ok { Foundation.exit(1) }
            } catch {
                common.fail(error)
            }
        }
    }
}
