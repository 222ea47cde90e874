import CentralAPI
import Foundation

/// The contract's limits, which the generated code does not check (it reads types and enums, not `maxLength`, `minimum`
/// or `pattern`): each is checked here, and a request beyond one is a 4xx problem naming the field.
extension CentralHandler {
    /// The first field longer than its limit (or empty where it must not be), as one line.
    static func overLimit(_ fields: [(name: String, value: String?, max: Int)], nonEmpty: Set<String> = []) -> String? {
        for field in fields {
            guard let value = field.value else { continue }
            if value.count > field.max { return "\(field.name) is longer than \(field.max) characters" }
            if value.isEmpty && nonEmpty.contains(field.name) { return "\(field.name) is empty" }
        }
        return nil
    }

    static func overLimit(_ i: Components.Schemas.Identity) -> String? {
        overLimit([
            ("identity.documentCode", i.documentCode, 2), ("identity.issuer", i.issuer, 3),
            ("identity.documentNumber", i.documentNumber, 22), ("identity.surname", i.surname, 39),
            ("identity.givenNames", i.givenNames, 39), ("identity.nationality", i.nationality, 3), ("identity.sex", i.sex, 1),
            ("identity.personalNumber", i.personalNumber, 26),
        ])
    }

    static func overLimit(_ r: Components.Schemas.ExtractRequest) -> String? {
        if let fee = r.feeCents, !(0...999_999).contains(fee) { return "feeCents is out of range" }
        if let payment = r.payment {
            if let reason = overLimit([
                ("payment.reference", payment.reference, 32), ("payment.transactionId", payment.transactionId, 32),
                ("payment.terminalId", payment.terminalId, 32), ("payment.brand", payment.brand, 24),
                ("payment.time", payment.time, 40),
            ]) {
                return reason
            }
            if !(1...999_999).contains(payment.amountCents) { return "payment.amountCents is out of range" }
        }
        return overLimit([("kioskId", r.kioskId, 64)], nonEmpty: ["kioskId"]) ?? overLimit(r.identity)
    }

    static func overLimit(_ call: Components.Schemas.StaffCall) -> String? {
        overLimit([("kioskId", call.kioskId, 64), ("flow", call.flow, 64), ("step", call.step, 64)], nonEmpty: ["kioskId"])
    }

    static func overLimit(_ fault: Components.Schemas.Fault) -> String? {
        overLimit(
            [
                ("key", fault.key, 128), ("kioskId", fault.kioskId, 64), ("device", fault.device, 64), ("code", fault.code, 64),
                ("summary", fault.summary, 500),
            ], nonEmpty: ["key", "kioskId", "device", "code"])
    }

    static func overLimit(_ beat: Components.Schemas.Heartbeat, kiosk: String) -> String? {
        if let backlog = beat.outboxBacklog, !(0...2_147_483_647).contains(backlog) { return "outboxBacklog is out of range" }
        return overLimit([("kioskId", kiosk, 64), ("version", beat.version, 64)], nonEmpty: ["kioskId"])
    }

    static func overLimit(_ b: Components.Schemas.Behaviour) -> String? {
        if let millis = b.latencyMillis, !(0...600_000).contains(millis) { return "latencyMillis is out of range" }
        if let seconds = b.unavailableRetryAfter, !(0...86_400).contains(seconds) {
            return "unavailableRetryAfter is out of range"
        }
        if let skew = b.clockSkewSeconds, !(-2_592_000...2_592_000).contains(skew) {
            return "clockSkewSeconds is out of range"
        }
        return overLimit([("pathPrefix", b.pathPrefix, 200)])
    }

    static func isDay(_ text: String) -> Bool {
        guard text.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil else { return false }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.date(from: text) != nil
    }
}
