package import Foundation
package import Logging
package import OPI

/// kiosk-pinpad's terminal: the state a real one keeps (logins, the payment under way, its journal and day totals) and the
/// rules it enforces. Channel 0's server hands it each message; it answers as a terminal would, and logs every refusal.
package actor PinpadTerminal {
    /// What channel 0 sends back for one message.
    package enum Reply: Sendable {
        case message(OPIMessage)
        /// Bytes that are not XML (the `garbage` behaviour).
        case raw(Data)
        /// Nothing at all (the payment lost inside the terminal).
        case nothing
        /// Close the connection without answering (after recording an approval).
        case drop
    }

    struct Underway {
        var requestID: String
        var abort: CheckedContinuation<Void, Never>?
        var aborted = false
    }

    let terminalID: String
    let device: PinpadDeviceLink
    let logger: Logger
    var settings = PinpadSettings()
    var loggedIn: Set<String> = []
    var underway: [String: Underway] = [:]
    var stan = 4100
    var transactions: [PinpadState.Transaction] = []
    var reversals: [String: String] = [:]
    var usedRequestIDs: Set<String> = []
    var lastPayment: [String: OPIMessage] = [:]
    var refusals: [String] = []
    var closures = 0

    /// The card every approval names: a full number, as a careless terminal would send it. The kiosk must keep none of it.
    package static let testPAN = "6731012345678901234"

    package init(terminalID: String, device: PinpadDeviceLink, logger: Logger) {
        self.terminalID = terminalID
        self.device = device
        self.logger = logger
    }

    package func set(_ settings: PinpadSettings) {
        self.settings = settings
        logger.info(
            "behaviour: \(settings.next.rawValue)\(settings.times.map { " ×\($0)" } ?? ""), inquiries \(settings.inquiries)")
    }

    package func snapshot() -> PinpadState {
        let open = transactions.filter { !$0.reversed }
        return PinpadState(
            settings: settings, loggedIn: loggedIn.sorted(), transactions: transactions, openCount: open.count,
            openCents: open.reduce(0) { $0 + $1.amountCents }, refusals: refusals, closures: closures)
    }

    func refuse(_ line: String) {
        logger.error("refused: \(line)")
        refusals.append(line)
        if refusals.count > 100 { refusals.removeFirst() }
    }

    /// One frame from channel 0.
    package func handle(_ data: Data) async -> Reply {
        let message: OPIMessage
        do {
            message = try OPIMessage.parse(data)
        } catch {
            refuse("channel 0: \(error)")
            return .drop
        }
        do {
            try PinpadChecks.request(message)
        } catch {
            refuse("channel 0, \(message.requestType.prefix(40)) \(message.requestID.prefix(32)): \(error.why)")
            return .message(response(to: message, error.result))
        }
        if message.kind == .serviceRequest { return .message(service(message)) }
        guard loggedIn.contains(message.workstationID) else {
            refuse("channel 0: \(message.requestType) from \(message.workstationID) before a Login")
            return .message(response(to: message, "Loggedout"))
        }
        switch message.requestType {
        case "CardPayment": return await payment(message)
        case "AbortRequest": return .message(abort(message))
        default: return .message(reversal(message))
        }
    }

    // MARK: - Answers

    func response(
        to request: OPIMessage, _ result: String, children: [OPIElement] = [], kind: OPIMessage.Kind? = nil
    ) -> OPIMessage {
        OPIMessage(
            kind ?? (request.kind == .serviceRequest ? .serviceResponse : .cardServiceResponse),
            [
                "RequestType": request.requestType, "RequestID": request.requestID,
                "WorkstationID": request.workstationID, "POPID": request.root["POPID"] ?? "001",
                "ApplicationSender": "kiosk-pinpad", "OverallResult": result,
            ], children: children)
    }

    func errorText(_ text: String) -> OPIElement {
        OPIElement("PrivateData", children: [OPIElement("ErrorText", text: text)])
    }

    func nextSTAN() -> String {
        stan += 1
        return String(stan)
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = .current
        return formatter.string(from: Date())
    }
}

extension PinpadTerminal {
    /// A refusal channel 1 found, into the same list.
    package func refuseFromLink(_ line: String) { refuse(line) }
}
