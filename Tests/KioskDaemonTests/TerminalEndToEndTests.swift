import Foundation
import KioskTesting
import Testing

/// kioskd with the terminal front in a real pseudo-terminal (tmux), driven by keystrokes and kioskctl, read off the screen.
@Suite(.serialized) struct TerminalEndToEndTests {
    /// A tmux server of the test's own, with one 100×40 window running kioskd.
    final class Tmux: @unchecked Sendable {
        let server: String
        let dir: String

        init(command: String) async throws {
            dir = try Harness.scratch()
            server = "kiosk-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            try await tmux(["-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "40", "-s", "k", command])
        }

        @discardableResult
        func tmux(_ arguments: [String]) async throws -> String {
            let out = try await Harness.run("/usr/bin/env", ["tmux", "-L", server] + arguments)
            guard out.status == 0 else { throw HarnessError("tmux \(arguments.first ?? ""): \(out.stderr)") }
            return out.stdout
        }

        func keys(_ keys: String...) async throws { try await tmux(["send-keys", "-t", "k"] + keys) }

        func screen() async throws -> String { try await tmux(["capture-pane", "-p", "-t", "k"]) }

        func waitFor(_ text: String) async throws {
            do {
                try await Harness.eventually("'\(text)' on the screen") { try await screen().contains(text) }
            } catch {
                Issue.record("screen was:\n\(try await screen())")
                throw error
            }
        }

        func stop() async {
            _ = try? await tmux(["kill-server"])
            try? FileManager.default.removeItem(atPath: dir)
        }

        /// The kioskd in the window, from its lock file, so that nothing outlives the test.
        static func killKioskd(lockedBy socket: String) {
            if let text = try? String(contentsOfFile: socket + ".lock", encoding: .utf8),
                let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                kill(pid, SIGKILL)
            }
        }

        /// Runs `body` with a tmux session, and always kills the tmux server afterwards.
        static func with(_ command: String, _ body: (Tmux) async throws -> Void) async throws {
            let term = try await Tmux(command: command)
            do {
                try await body(term)
            } catch {
                await term.stop()
                throw error
            }
            await term.stop()
        }
    }

    @Test func extractRequestByKeystrokesAndACardOnTheReader() async throws {
        let scratch = try Harness.scratch()
        let config = try Harness.config(in: scratch, front: "terminal")
        let kioskd = try Harness.binary("kioskd")
        try await Tmux.with("\(kioskd) --config \(config); echo KIOSKD-EXITED-$?; sleep 5") { term in
            let ctl = { (args: [String]) in
                try await Harness.run(try Harness.binary("kioskctl"), args + ["--socket", scratch + "/k.sock"])
            }

            try await term.waitFor("Welkom bij de Stadswinkel")
            #expect(try await term.screen().contains("1  Uittreksel BRP aanvragen"))
            try await term.keys("F2")
            try await term.waitFor("Welcome to the city office")
            #expect(try await term.screen().contains("F2 Nederlands"))
            try await term.keys("F2")
            try await term.waitFor("Welkom bij de Stadswinkel")

            try await term.keys("1")
            try await term.waitFor("Vraag hier een uittreksel")
            try await term.keys("Enter")
            try await term.waitFor("Welk uittreksel hebt u nodig?")
            try await term.keys("1")
            try await term.waitFor("Documentnummer")
            // A resize in the middle of a step redraws the same step; garbage keys change nothing.
            try await term.tmux(["resize-window", "-t", "k", "-x", "70", "-y", "30"])
            try await term.waitFor("Documentnummer")
            try await term.keys("-l", "\u{1b}[999;1X\u{1b}[<64;1;1M")
            try await term.keys("L898902C3", "Enter")
            try await term.waitFor("Geboortedatum")
            try await term.keys("12-08-1974", "Enter")
            try await term.waitFor("Geldig tot")
            try await term.keys("15-04-2034", "Enter")
            try await term.waitFor("Leg uw document op de kaartlezer")

            // A foreign passport: its chip carries no BSN, so the resident types it next.
            let present = try await ctl(["sim", "card", "present", "--mrz", Specimen.td3ValidTo2034])
            #expect(present.stdout == "card presented\n")
            try await term.waitFor("Burgerservicenummer")
            try await term.keys("12345678", "9", "Enter")
            try await term.waitFor("Dit is geen geldig BSN")
            try await term.keys("BSpace", "2", "Enter")
            try await term.waitFor("Controleer uw aanvraag.")
            let confirm = try await term.screen()
            #expect(confirm.contains("Naam: Anna Maria Eriksson"))
            #expect(confirm.contains("BSN: ******782"))
            #expect(!confirm.contains("123456782"))
            try await term.keys("Enter")
            try await term.waitFor("Neem uw uittreksel uit de printer. Zaaknummer Z-")
            let status = try await ctl(["status"])
            #expect(status.stdout.contains("session  extract-request / done"))

            let log = try String(contentsOfFile: scratch + "/state/kioskd.log", encoding: .utf8)
            #expect(log.contains("screen extract-request/done"))
            for secret in ["123456782", "ERIKSSON", "Eriksson", "L898902C", "740812"] {
                #expect(!log.contains(secret), "the log holds personal data: \(secret)")
            }

            // SIGTERM gives the terminal back: the alternate screen is gone and kioskd exited cleanly.
            let pid = try #require(
                Int32(
                    String(contentsOfFile: scratch + "/k.sock.lock", encoding: .utf8).trimmingCharacters(
                        in: .whitespacesAndNewlines)))
            kill(pid, SIGTERM)
            try await term.waitFor("KIOSKD-EXITED-0")
            #expect(!(try await term.screen().contains("Zaaknummer")))
        }
        Tmux.killKioskd(lockedBy: scratch + "/k.sock")
        try? FileManager.default.removeItem(atPath: scratch)
    }

    @Test func clicksAreTouches() async throws {
        let scratch = try Harness.scratch()
        let config = try Harness.config(in: scratch, front: "terminal")
        try await Tmux.with("\(try Harness.binary("kioskd")) --config \(config)") { term in
            try await term.waitFor("2  Paspoort, ID-kaart of rijbewijs afhalen")
            let rows = try await term.screen().components(separatedBy: "\n")
            let row = try #require(rows.firstIndex { $0.contains("2  Paspoort") }) + 1
            // An SGR 1006 left-button press at column 10 of that row, as a terminal sends it for a click.
            try await term.keys("-l", "\u{1b}[<0;10;\(row)M\u{1b}[<0;10;\(row)m")
            try await term.waitFor("Haal hier uw nieuwe document op")
        }
        Tmux.killKioskd(lockedBy: scratch + "/k.sock")
        try? FileManager.default.removeItem(atPath: scratch)
    }
}
