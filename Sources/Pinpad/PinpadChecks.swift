package import Foundation
package import OPI

/// What kiosk-pinpad demands of every message from the kiosk, as a terminal does: OPI's namespace, the root attributes,
/// the POS timestamp, and for a payment an amount in euros with two decimals. Each failure is the OverallResult a terminal
/// answers with, and one line for its log.
enum PinpadChecks {
    struct Refusal: Error {
        var result: String
        var why: String
    }

    static let cardTypes: Set<String> = ["CardPayment", "PaymentReversal", "AbortRequest"]
    static let serviceTypes: Set<String> = [
        "Login", "Logoff", "Diagnosis", "RepeatLastMessage", "ReconciliationWithClosure",
    ]

    /// Checks a message from channel 0.
    static func request(_ message: OPIMessage) throws(Refusal) {
        guard message.namespace == OPIMessage.namespace else {
            throw Refusal(result: "FormatError", why: "the message is not in OPI's namespace")
        }
        guard message.kind == .cardServiceRequest || message.kind == .serviceRequest else {
            throw Refusal(result: "FormatError", why: "a \(message.kind.rawValue) is not a request")
        }
        for name in ["POPID", "ApplicationSender"] where (message.root[name] ?? "").isEmpty {
            throw Refusal(result: "MissingMandatoryData", why: "\(message.kind.rawValue) has no \(name)")
        }
        let id = message.requestID
        guard (1...32).contains(id.count), id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw Refusal(result: "ValidationError", why: "RequestID '\(id.prefix(40))' is not 1-32 letters, digits and dashes")
        }
        guard (1...64).contains(message.workstationID.count) else {
            throw Refusal(result: "ValidationError", why: "WorkstationID is empty or longer than 64")
        }
        let types = message.kind == .cardServiceRequest ? cardTypes : serviceTypes
        guard types.contains(message.requestType) else {
            throw Refusal(
                result: "ValidationError",
                why: "RequestType '\(message.requestType.prefix(40))' is not one a \(message.kind.rawValue) may have here")
        }
        guard let stamp = message.root.find("POSdata/POSTimeStamp")?.text, isTimestamp(stamp) else {
            throw Refusal(result: "MissingMandatoryData", why: "no POSdata/POSTimeStamp of the form YYYY-MM-DDThh:mm:ss")
        }
        if message.requestType == "CardPayment" || message.requestType == "PaymentReversal" {
            _ = try amount(message)
        }
        if message.requestType == "PaymentReversal", (message.root.find("OriginalTransaction")?["STAN"] ?? "").isEmpty {
            throw Refusal(result: "MissingMandatoryData", why: "a PaymentReversal without OriginalTransaction/@STAN")
        }
    }

    /// The TotalAmount of a payment or reversal, in cents: EUR, two decimals, 0.01 to 9999.99.
    static func amount(_ message: OPIMessage) throws(Refusal) -> Int {
        guard let total = message.root.child("TotalAmount") else {
            throw Refusal(result: "MissingMandatoryData", why: "\(message.requestType) without TotalAmount")
        }
        guard total["Currency"] == "EUR" else {
            throw Refusal(result: "ValidationError", why: "currency '\(total["Currency"] ?? "")' is not EUR")
        }
        let parts = total.text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count == 2, let cents = OPIMessage.cents(total.text), (1...999_999).contains(cents)
        else {
            throw Refusal(
                result: "ValidationError", why: "amount '\(total.text.prefix(20))' is not 0.01 to 9999.99 with two decimals")
        }
        return cents
    }

    static func isTimestamp(_ text: String) -> Bool {
        let pattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)?$/
        return text.wholeMatch(of: pattern) != nil
    }
}
