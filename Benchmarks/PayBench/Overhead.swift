import BenchSupport
import Central
import Foundation
import KioskCore
import KioskDevices
import KioskTesting
import Logging
import OPI
import Outbox
import Payment
import Pinpad

/// A payment through the kiosk (journal commit, channel 0 through the opi driver, channel 1's display texts and receipt,
/// the approval and its request committed) against a bare OPI client doing the least any cash register must: send the
/// CardPayment, answer each DeviceRequest, read the answer. Both against their own kiosk-pinpad, in the same run.
enum Overhead {
    static func run(payments: Int) async throws {
        let bare = try await bareClient(payments: payments)
        let kiosk = try await throughTheKiosk(payments: payments)
        let (b50, b99) = (PayBench.percentile(bare, 0.5), PayBench.percentile(bare, 0.99))
        let (k50, k99) = (PayBench.percentile(kiosk, 0.5), PayBench.percentile(kiosk, 0.99))
        print("payment overhead, \(payments) approved payments each:")
        print(String(format: "  bare OPI client (the simulator's own answer time)  p50 %.2f ms  p99 %.2f ms", b50, b99))
        print(String(format: "  through the kiosk (journal, opi driver, approval)  p50 %.2f ms  p99 %.2f ms", k50, k99))
        print(
            String(
                format: "  kiosk overhead per payment p50 %.2f ms; ratio %.2f (p50), %.2f (p99)", k50 - b50, k50 / b50, k99 / b99)
        )
    }

    static func throughTheKiosk(payments: Int) async throws -> [Double] {
        let devicePort = try Harness.freePort()
        let pinpad = try await PinpadPeer.start(devicePort: devicePort)
        let dir = try Harness.scratch()
        let outbox = try Outbox(path: dir + "/outbox.sqlite", keyPath: dir + "/outbox.key")
        let journal = PaymentJournal(outbox: outbox)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let profile = DeviceProfile(
            id: "pinpad", deviceClass: .paymentTerminal, driver: "opi",
            options: ["port": "\(pinpad.port)", "devicePort": "\(devicePort)", "probeSeconds": "0"])
        let terminal = try OPITerminal(profile: profile, workstation: "bench-kiosk", logger: logger)
        for await event in terminal.events {
            if case .status(let status) = event, status.state == .online { break }
        }
        let request = ServiceRequest.extractRequest(
            ExtractRequest(product: "standard", feeCents: 1440, bsn: "999999990", bsnSource: .chip, identity: nil, language: .nl))
        var times: [Double] = []
        for index in 0..<(payments + 10) {
            let start = ContinuousClock.now
            let attempt = try await journal.begin(
                reference: "TLB-BENCH\(index)", amountCents: 1440, day: "2026-11-28", request: request)
            guard case .approved(let approval) = await terminal.authorise(attempt, prompt: { _ in }) else {
                throw PeerError("payment \(index) not approved")
            }
            try await journal.approved(attempt, approval, request: request, notBefore: Date())
            if index >= 10 { times.append(PayBench.ms(ContinuousClock.now - start)) }
        }
        PinpadPeer.kill9(pinpad)
        return times
    }

    static func bareClient(payments: Int) async throws -> [Double] {
        let devicePort = try Harness.freePort()
        let listener = try FrameSocket.listen(port: devicePort)
        let pinpad = try await PinpadPeer.start(devicePort: devicePort)
        let channel1 = Thread { FrameSocket.answerDeviceRequests(listener) }
        channel1.start()
        let times = try await FrameSocket.blocking { () throws -> [Double] in
            let c0 = try FrameSocket.connect(port: pinpad.port)
            defer { close(c0) }
            func request(_ type: String, _ id: String, kind: OPIMessage.Kind, amount: String? = nil) -> OPIMessage {
                var children = [OPIElement("POSdata", children: [OPIElement("POSTimeStamp", text: "2026-11-28T12:00:00")])]
                if let amount { children.append(OPIElement("TotalAmount", ["Currency": "EUR"], text: amount)) }
                return OPIMessage(
                    kind,
                    [
                        "RequestType": type, "RequestID": id, "WorkstationID": "bare", "POPID": "001",
                        "ApplicationSender": "bench",
                    ], children: children)
            }
            try FrameSocket.send(c0, request("Login", "L1", kind: .serviceRequest).xml())
            _ = try FrameSocket.receive(c0)
            var times: [Double] = []
            for index in 0..<(payments + 10) {
                let start = ContinuousClock.now
                try FrameSocket.send(c0, request("CardPayment", "\(index + 1)", kind: .cardServiceRequest, amount: "14.40").xml())
                let answer = try OPIMessage.parse(try FrameSocket.receive(c0))
                guard answer.overallResult == "Success" else {
                    throw PeerError("bare payment \(index): \(answer.overallResult ?? "?")")
                }
                if index >= 10 { times.append(PayBench.ms(ContinuousClock.now - start)) }
            }
            return times
        }
        PinpadPeer.kill9(pinpad)
        return times
    }
}
