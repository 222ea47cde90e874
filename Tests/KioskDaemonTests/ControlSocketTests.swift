import Foundation
import KioskTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// kioskd headless with kioskctl over the control socket: the technician's view, and every bad input on the way in.
@Suite(.serialized) struct ControlSocketTests {
    @Test func statusShowsDevicesFlowsAndNoSession() async throws {
        let kiosk = try await RunningKiosk()
        let text = try await kiosk.ctl("status")
        #expect(text.status == 0)
        #expect(text.stdout.contains("kiosk    test-kiosk (test bench)"))
        #expect(text.stdout.contains("session  none (start screen)"))
        #expect(text.stdout.contains("sim-printer        printer     simulated  online, paper full"))
        let json = try await kiosk.ctl("status", "--json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["kioskID"] as? String == "test-kiosk")
        #expect((object["devices"] as? [Any])?.count == 4)
        #expect(try await kiosk.stop() == 0)
    }

    /// This machine has no USB bus: the inventory runs, lists nothing, and that is not an error.
    @Test func usbListsWhatIsOnTheBus() async throws {
        let kiosk = try await RunningKiosk()
        let text = try await kiosk.ctl("usb")
        #expect(text.status == 0)
        let json = try await kiosk.ctl("usb", "--json")
        let devices = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        if devices.isEmpty {
            #expect(text.stdout.contains("no USB devices"))
        } else {
            #expect(devices.allSatisfy { $0["id"] is String })
        }
        #expect(!kiosk.log.contains("usb inventory off"))
        #expect(try await kiosk.stop() == 0)
    }

    /// The pickup flow driven entirely through the socket: press, type, scan, card.
    @Test func pickupFlowEndToEndHeadless() async throws {
        let kiosk = try await RunningKiosk()
        #expect(try await kiosk.ctl("press", "start:pickup").status == 0)
        #expect(try await kiosk.ctl("press", "next").status == 0)
        #expect(try await kiosk.ctl("type", "K7QM-3XPA").status == 0)
        #expect(try await kiosk.ctl("press", "submit").status == 0)
        try await Harness.eventually("the identify step") { try await kiosk.step() == "identify" }
        #expect(try await kiosk.ctl("sim", "scan", Specimen.nlPassport2035).status == 0)
        #expect(try await kiosk.ctl("sim", "card", "present", "--mrz", Specimen.nlPassport2035).status == 0)
        try await Harness.eventually("the confirm step") { try await kiosk.step() == "confirm" }
        #expect(try await kiosk.ctl("press", "next").status == 0)
        try await Harness.eventually("the done step") { try await kiosk.step() == "done" }
        #expect(!kiosk.log.contains("K7QM"), "the pickup code never reaches the log")
        #expect(!kiosk.log.contains("BRUIJN"))
        #expect(!kiosk.log.contains("SPECI2025"))
        #expect(!kiosk.log.contains(Specimen.nlBSN))
        #expect(try await kiosk.stop() == 0)
    }

    @Test func printerFaultsHideFlowsUntilCleared() async throws {
        let kiosk = try await RunningKiosk()
        #expect(try await kiosk.ctl("sim", "printer", "paper-out").stdout == "printer paper-out\n")
        let out = try await kiosk.ctl("status")
        #expect(out.stdout.contains("OUT OF ORDER"))
        #expect(out.stdout.contains("pickup             hidden (device fault)"))
        let refused = try await kiosk.ctl("press", "start:pickup")
        #expect(refused.status == 1)
        #expect(refused.stderr == "kioskctl: the screen does not offer 'start:pickup' now\n")
        _ = try await kiosk.ctl("sim", "printer", "ok")
        #expect(try await kiosk.ctl("press", "start:pickup").status == 0)
        #expect(try await kiosk.stop() == 0)
    }

    @Test func badInputGetsOneLineAndTheDaemonKeepsServing() async throws {
        let kiosk = try await RunningKiosk()
        let badMRZ = try await kiosk.ctl("sim", "card", "present", "--mrz", "P<UTOERIKSSON")
        #expect(badMRZ.status == 1)
        #expect(badMRZ.stderr.hasPrefix("kioskctl: MRZ of 13 characters"))
        #expect(badMRZ.stderr.split(separator: "\n").count == 1)
        let corrupt = Specimen.td3.replacingOccurrences(of: "7408122", with: "7408123")
        #expect(try await kiosk.ctl("sim", "card", "present", "--mrz", corrupt).stderr.contains("check digit of the birth date"))
        let printer = try await kiosk.ctl("sim", "printer", "on-fire")
        #expect(printer.stderr.hasPrefix("kioskctl: unknown printer condition 'on-fire'"))
        #expect(try await kiosk.ctl("press", "launch-missiles").stderr == "kioskctl: unknown action 'launch-missiles'\n")
        #expect(try await kiosk.ctl("type", String(repeating: "9", count: 500)).stderr.contains("at most 100"))
        let json = try await kiosk.ctl("sim", "printer", "on-fire", "--json")
        #expect(json.stdout.contains("\"ok\" : false"))
        #expect(try await kiosk.ctl("status").status == 0, "still serving")
        #expect(try await kiosk.stop() == 0)
    }

    @Test func garbageOnTheSocketGetsAOneLineAnswer() async throws {
        let kiosk = try await RunningKiosk()
        let body = "{not json"
        let answer = try Harness.rawHTTP(
            kiosk.socket,
            "POST /v1/sim/printer HTTP/1.1\r\nHost: kiosk\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
                + "Connection: close\r\n\r\n" + body)
        #expect(answer.hasPrefix("HTTP/1.1 400"))
        #expect(answer.contains("\"ok\":false"))
        #expect(answer.contains("not the JSON kioskd expects"))
        let nonsense = try Harness.rawHTTP(kiosk.socket, "\u{0}\u{1}GARBAGE\r\n\r\n")
        #expect(!nonsense.contains("200 OK"))
        #expect(try await kiosk.ctl("status").status == 0)
        #expect(try await kiosk.stop() == 0)
    }

    @Test func queueEntriesCanBeShownRetriedAndDroppedWithYes() async throws {
        let kiosk = try await RunningKiosk()
        #expect(try await kiosk.ctl("sim", "central", "offline").stdout == "central offline\n")
        _ = try await kiosk.ctl("press", "call-staff")
        try await Harness.eventually("the walk-over screen") { try await kiosk.step() == "walk-over" }
        let list = try await kiosk.ctl("queue")
        #expect(list.stdout.hasPrefix("#1  callStaff       TLB-"))
        #expect(list.stdout.contains("pending"))
        #expect(try await kiosk.ctl("queue", "show", "1").stdout.contains("last     the in-process central is switched offline"))
        #expect(try await kiosk.ctl("queue", "retry", "1").stdout == "entry 1 is due now\n")
        let refused = try await kiosk.ctl("queue", "drop", "1")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("add --yes"))
        #expect(try await kiosk.ctl("queue", "drop", "1", "--yes").stdout == "entry 1 dropped\n")
        #expect(try await kiosk.ctl("queue", "show", "1").stderr == "kioskctl: no queue entry 1\n")
        #expect(try await kiosk.ctl("queue").stdout == "the outbox is empty: everything was delivered\n")
        #expect(try await kiosk.stop() == 0)
    }

    @Test func aSecondKioskdOnTheSameSocketRefuses() async throws {
        let kiosk = try await RunningKiosk()
        let second = try await Harness.run(try Harness.binary("kioskd"), ["--config", kiosk.dir + "/kiosk.yaml"])
        #expect(second.status == 1)
        #expect(second.stderr.hasPrefix("kioskd: another kioskd (pid \(kiosk.pid)) is already serving"))
        #expect(try await kiosk.ctl("status").status == 0, "the first one still owns its socket")
        #expect(try await kiosk.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: kiosk.socket + ".lock"))
    }

    @Test func kioskctlWithoutADaemonSaysSoInOneLine() async throws {
        let dir = try Harness.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let missing = try await Harness.run(try Harness.binary("kioskctl"), ["status", "--socket", dir + "/none.sock"])
        #expect(missing.status == 3, "not running: 3, as systemctl status says of an inactive unit")
        #expect(missing.stderr.hasPrefix("kioskctl: kioskd is not running at \(dir)/none.sock"))
        #expect(missing.stderr.split(separator: "\n").count == 1)

        // A stale socket: the file exists but nobody listens.
        let stale = dir + "/stale.sock"
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let bound = Harness.unixSocket(fd, stale, bind)
        #expect(bound == 0)
        close(fd)
        let staleOut = try await Harness.run(try Harness.binary("kioskctl"), ["status"], environment: ["KIOSK_SOCKET": stale])
        #expect(staleOut.status == 3)
        #expect(staleOut.stderr.contains("not running at \(stale) (the socket is there but nobody answers)"))
    }
}
