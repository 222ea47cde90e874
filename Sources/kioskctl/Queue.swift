import ArgumentParser
import Foundation
import KioskControl

struct Queue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Look at and manage the outbox: requests waiting for the central, and dead letters.",
        subcommands: [List.self, Show.self, Retry.self, Drop.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the entries (no personal data).")
        @OptionGroup var common: Common

        func run() async {
            do {
                let entries = try await common.client.queue()
                if common.json { return common.printJSON(entries) }
                let waiting = entries.filter { $0.state != "delivered" }
                if waiting.isEmpty { print("the outbox is empty: everything was delivered") }
                for entry in waiting { print(Queue.line(entry)) }
                let delivered = entries.count - waiting.count
                if delivered > 0 { print("(\(delivered) delivered entries kept until their retention ends)") }
            } catch {
                common.fail(error)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one entry.")
        @Argument(help: "The entry's id.") var id: Int64
        @OptionGroup var common: Common

        func run() async {
            do {
                let entry = try await common.client.queueEntry(id)
                if common.json { return common.printJSON(entry) }
                print(Queue.line(entry))
                print("  created  \(entry.createdAt)")
                print("  next try \(entry.nextAttemptAt)")
                if let error = entry.lastError { print("  last     \(error)") }
            } catch {
                common.fail(error)
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send a waiting or dead entry again now.")
        @Argument(help: "The entry's id.") var id: Int64
        @OptionGroup var common: Common

        func run() async {
            do {
                let reply = try await common.client.queueAction(id, drop: false)
                common.json ? common.printJSON(reply) : print(reply.message)
            } catch {
                common.fail(error)
            }
        }
    }

    struct Drop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete an entry for good, after it was dealt with by hand. Needs --yes.")
        @Argument(help: "The entry's id.") var id: Int64
        @Flag(help: "Yes, delete it: the request will never reach the central.") var yes = false
        @OptionGroup var common: Common

        func validate() throws {
            guard yes else { throw ValidationError("dropping loses the request for good; add --yes if that is what you want") }
        }

        func run() async {
            do {
                let reply = try await common.client.queueAction(id, drop: true)
                common.json ? common.printJSON(reply) : print(reply.message)
            } catch {
                common.fail(error)
            }
        }
    }

    static func line(_ e: QueueEntry) -> String {
        let error = e.lastError.map { " — \($0)" } ?? ""
        return
            "#\(e.id)  \(e.kind.padding(toLength: 15, withPad: " ", startingAt: 0)) \(e.reference)  \(e.state), \(e.attempts) tries\(error)"
    }
}
