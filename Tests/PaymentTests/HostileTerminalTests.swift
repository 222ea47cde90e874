import Foundation
import KioskCore
import KioskDevices
import KioskTesting
import Logging
import OPI
import Payment
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A terminal that lies or breaks: each bad answer to a payment is one line in the log, the payment is left unknown (never
/// approved on a message the kiosk cannot read), and the driver keeps serving. And what reaches channel 1 from it.
@Suite(.serialized) struct HostileTerminalTests {
    /// A terminal on a thread: it logs the kiosk in, and answers everything else with `answer`'s bytes (or nothing).
    final class FakeTerminal: Sendable {
        let port: Int
        let listener: Int32

        init(answer: @escaping @Sendable (OPIMessage, Int32) -> Void) throws {
            port = try Harness.freePort()
            listener = try FrameSocket.listen(port: port)
            let listener = listener
            Thread {
                while true {
                    let fd = accept(listener, nil, nil)
                    guard fd >= 0 else { return }
                    // A thread per connection: an old connection the kiosk has not closed yet never holds up its new one.
                    Thread {
                        while let frame = try? FrameSocket.receive(fd), let request = try? OPIMessage.parse(frame) {
                            if request.requestType == "Login" || request.requestType == "RepeatLastMessage" {
                                let result = request.requestType == "Login" ? "Success" : "Failure"
                                try? FrameSocket.send(fd, Self.response(to: request, result).xml())
                            } else {
                                answer(request, fd)
                            }
                        }
                        close(fd)
                    }.start()
                }
            }.start()
        }

        deinit {
            shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
        }

        static func response(to request: OPIMessage, _ result: String, id: String? = nil) -> OPIMessage {
            OPIMessage(
                request.kind == .serviceRequest ? .serviceResponse : .cardServiceResponse,
                [
                    "RequestType": request.requestType, "RequestID": id ?? request.requestID,
                    "WorkstationID": request.workstationID, "OverallResult": result,
                ],
                children: [
                    OPIElement("Terminal", ["TerminalID": "EVIL", "STAN": "1"]),
                    OPIElement("Tender", children: [OPIElement("TotalAmount", ["Currency": "EUR"], text: "14.40")]),
                ])
        }
    }

    static func driver(_ fake: FakeTerminal, devicePort: Int = 0) async throws -> OPITerminal {
        let profile = DeviceProfile(
            id: "evil", deviceClass: .paymentTerminal, driver: "opi",
            options: [
                "port": "\(fake.port)", "devicePort": "\(devicePort)", "paymentSeconds": "1", "abortSeconds": "1",
                "answerSeconds": "5", "probeSeconds": "0",
            ])
        let terminal = try OPITerminal(profile: profile, workstation: "kiosk-test", logger: Logger(label: "test"))
        try await PinpadFixture.waitOnline(terminal)
        return terminal
    }

    static func attempt() -> PaymentAttempt {
        PaymentAttempt(reference: "TLB-EVIL", sequence: PinpadFixture.nextSequence(), amountCents: 1440)
    }

    /// Bytes the fake sends instead of an answer, raw (a header of its own) or framed.
    enum Bad: String, CaseIterable, Sendable {
        case wrongRequestID, unknownNamespace, oversizedFrame, truncatedFrame, garbage, entityBomb, approvedWithoutSTAN
    }

    @Test(arguments: Bad.allCases) func aBadAnswerLeavesThePaymentUnknownAndTheDriverServing(_ bad: Bad) async throws {
        let fake = try FakeTerminal { request, fd in
            switch bad {
            case .wrongRequestID:
                try? FrameSocket.send(fd, FakeTerminal.response(to: request, "Success", id: "999").xml())
            case .unknownNamespace:
                let xml = String(decoding: FakeTerminal.response(to: request, "Success").xml(), as: UTF8.self)
                    .replacingOccurrences(of: OPIMessage.namespace, with: "urn:evil")
                try? FrameSocket.send(fd, Data(xml.utf8))
            case .oversizedFrame:
                _ = [UInt8]([0x7F, 0xFF, 0xFF, 0xFF, 0x3C]).withUnsafeBytes { write(fd, $0.baseAddress, 5) }
            case .truncatedFrame:
                _ = [UInt8]([0, 0, 0, 100, 0x3C, 0x3F]).withUnsafeBytes { write(fd, $0.baseAddress, 6) }
                shutdown(fd, Int32(SHUT_RDWR))
            case .garbage:
                try? FrameSocket.send(fd, Data([0x00, 0xFF, 0xFE, 0x41, 0x3C]))
            case .entityBomb:
                let bomb = """
                    <?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>
                    <CardServiceResponse RequestType="CardPayment" RequestID="\(request.requestID)" WorkstationID="kiosk-test" OverallResult="Success">&b;</CardServiceResponse>
                    """
                try? FrameSocket.send(fd, Data(bomb.utf8))
            case .approvedWithoutSTAN:
                var answer = FakeTerminal.response(to: request, "Success")
                answer.root.children.removeAll { $0.name == "Terminal" }
                try? FrameSocket.send(fd, answer.xml())
            }
        }
        let terminal = try await Self.driver(fake)
        let outcome = await terminal.authorise(Self.attempt(), prompt: { _ in })
        guard case .unknown = outcome else {
            Issue.record("\(bad): \(outcome), not unknown")
            return
        }
        // Still serving: it reconnects if it must (its status may say online a moment before it notices the drop), and
        // answers the next question.
        try await PinpadFixture.waitOnline(terminal)
        try await Harness.eventually("the driver answering again", seconds: 60) {
            await terminal.lastTransaction(Self.attempt()) == .notCharged
        }
        withExtendedLifetime(fake) {}
    }

    @Test func channelOneRefusesWhatBelongsToNoPayment() async throws {
        let fake = try FakeTerminal { _, _ in }
        let devicePort = try Harness.freePort()
        let terminal = try await Self.driver(fake, devicePort: devicePort)
        _ = terminal
        let stray = OPIMessage(
            .deviceRequest, ["RequestType": "Output", "RequestID": "4242", "WorkstationID": "kiosk-test"],
            children: [
                OPIElement("Output", ["OutDeviceTarget": "CustomerDisplay"], children: [OPIElement("TextLine", text: "hi")])
            ])
        var other = stray
        other.root.attributes["WorkstationID"] = "another-kiosk"
        let answers = try await FrameSocket.blocking { [other] () throws -> [String] in
            var fd = try FrameSocket.connect(port: devicePort)
            defer { close(fd) }
            var results: [String] = []
            try FrameSocket.send(fd, stray.xml())
            let answer = try OPIMessage.parse(try FrameSocket.receive(fd))
            results.append("\(answer.kind.rawValue) \(answer.overallResult ?? "") \(answer.requestID)")
            try FrameSocket.send(fd, other.xml())
            results.append(try OPIMessage.parse(try FrameSocket.receive(fd)).overallResult ?? "")
            // Bytes that are not XML close the connection; a new one is served.
            try FrameSocket.send(fd, Data("no".utf8))
            results.append((try? FrameSocket.receive(fd)) == nil ? "closed" : "open")
            close(fd)
            fd = try FrameSocket.connect(port: devicePort)
            try FrameSocket.send(fd, stray.xml())
            results.append(try OPIMessage.parse(try FrameSocket.receive(fd)).overallResult ?? "")
            return results
        }
        #expect(answers == ["DeviceResponse ValidationError 4242", "ValidationError", "closed", "ValidationError"])
        withExtendedLifetime((fake, terminal)) {}
    }

    /// A terminal that writes the card number where an id, a brand, a time or a reason belongs: none of it is kept.
    @Test func aCardNumberWhereItDoesNotBelongIsNeverKept() async throws {
        let pan = "6731012345678901234"
        let fake = try FakeTerminal { request, fd in
            var answer = FakeTerminal.response(to: request, request.requestID.hasSuffix("2") ? "Failure" : "Success")
            answer.root.children = [
                OPIElement("Terminal", ["TerminalID": pan, "STAN": request.requestID.hasSuffix("3") ? pan : "4711"]),
                OPIElement(
                    "Tender",
                    children: [
                        OPIElement("TotalAmount", ["Currency": "EUR"], text: "14.40"),
                        OPIElement("Authorisation", ["CardCircuit": "Maestro \(pan)", "TimeStamp": pan, "CardPAN": pan]),
                    ]),
                OPIElement("PrivateData", children: [OPIElement("ErrorText", text: "card \(pan) refused")]),
            ]
            try? FrameSocket.send(fd, answer.xml())
        }
        let terminal = try await Self.driver(fake)
        var outcomes: [String] = []
        for ending in ["1", "2", "3"] {
            var sequence = PinpadFixture.nextSequence()
            while !String(sequence).hasSuffix(ending) { sequence = PinpadFixture.nextSequence() }
            let outcome = await terminal.authorise(
                PaymentAttempt(reference: "TLB-PAN", sequence: sequence, amountCents: 1440), prompt: { _ in })
            outcomes.append("\(outcome)")
            if case .approved(let approval) = outcome {
                #expect(approval.transactionID == "4711" && approval.terminalID == "" && approval.maskedCard == "**** 1234")
                #expect(approval.time.hasPrefix("20"), "the kiosk's own time instead of the terminal's card number")
            }
        }
        #expect(outcomes[0].hasPrefix("approved"), "\(outcomes[0])")
        #expect(outcomes[1].hasPrefix("declined"), "\(outcomes[1])")
        #expect(outcomes[2].hasPrefix("unknown"), "a card number as the STAN: \(outcomes[2])")
        for outcome in outcomes { #expect(!outcome.contains("0123456"), "\(outcome)") }
        withExtendedLifetime(fake) {}
    }
}
