import Foundation
import KioskCore
import KioskTesting
import Testing

@testable import KioskDaemon

/// BSNs and names never cross the network in clear by accident: a central or sink over plain http to another machine stops
/// the start, unless the config says it is a lab (`allowPlainHTTP: true`), which is then said at every start.
@Suite struct PlainHTTPTests {
    static func config(central: String, extra: String = "") -> String {
        """
        kiosk: {id: k1, location: bench, language: nl}
        state: /tmp/state
        controlSocket: /tmp/k.sock
        flows: /tmp/flows
        devices: {profiles: /tmp/devices, active: []}
        central:
          kind: http
          url: \(central)
          tokenFile: /tmp/token
        \(extra)
        """
    }

    @Test func loopbackIsNotTheNetwork() {
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "[::1]", "LOCALHOST"] {
            #expect(!PlainHTTP.exposes(URL(string: "http://\(host):8421")!), "\(host)")
        }
        for url in ["http://10.0.0.5", "http://127.0.0.1.evil.example", "http://kiosk-central.tilburg.nl", "http://[::2]"] {
            #expect(PlainHTTP.exposes(URL(string: url)!), "\(url)")
        }
        #expect(!PlainHTTP.exposes(URL(string: "https://10.0.0.5")!))
    }

    @Test func aPlainHTTPCentralOnTheNetworkIsRefused() throws {
        guard case .failure(let error) = KioskConfig.parse(Self.config(central: "http://10.0.0.5:8421"), path: "/k/kiosk.yaml")
        else {
            Issue.record("a plain-http central on the network was accepted")
            return
        }
        #expect(
            error.description.contains(
                "central http://10.0.0.5:8421 is plain http to another machine: BSNs and names would cross the network in clear"),
            "\(error)")
        let https = KioskConfig.parse(Self.config(central: "https://10.0.0.5:8421"), path: "/k/kiosk.yaml")
        #expect((try? https.get())?.plainHTTP == [])
        let local = KioskConfig.parse(Self.config(central: "http://127.0.0.1:8421"), path: "/k/kiosk.yaml")
        #expect((try? local.get())?.plainHTTP == [])
    }

    @Test func aLabSaysSoAndIsWarnedAboutAtEveryStart() async throws {
        let lab = KioskConfig.parse(
            Self.config(central: "http://10.0.0.5:8421", extra: "allowPlainHTTP: true"), path: "/k/kiosk.yaml")
        #expect((try? lab.get())?.plainHTTP == ["central http://10.0.0.5:8421"])

        // A sink over plain http to another machine stops kioskd, in one line; allowed, it starts and warns.
        let sink = """
            alerts:
              sinks:
                - name: staff
                  kind: webhook
                  url: http://192.0.2.10:9000/hook
            """
        let dir = try Harness.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let refused = try await Harness.run(
            try Harness.binary("kioskd"), ["--config", try Harness.config(in: dir, extraConfig: sink)])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("alerts sink staff http://192.0.2.10:9000/hook is plain http to another machine"))
        let kiosk = try await RunningKiosk(extraConfig: sink + "\nallowPlainHTTP: true\n")
        #expect(
            kiosk.log.contains(
                "allowPlainHTTP: alerts sink staff http://192.0.2.10:9000/hook is plain http to another machine; what it carries "
                    + "crosses the network in clear"))
        #expect(try await kiosk.stop() == 0)
    }
}
