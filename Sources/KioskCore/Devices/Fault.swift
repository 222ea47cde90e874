/// Something staff must know about: a device or the kiosk itself is not as it should be.
///
/// After XFS4IoT's ErrorEvent: `action` tells staff what kind of help it needs. The summary is Dutch, for the Stadswinkel's
/// staff, and never holds personal data. The fault issue (alerting) adds persistence, hysteresis and Alertmanager on top.
public struct Fault: Sendable, Equatable, Hashable, Codable {
    public enum Severity: String, Sendable, Codable, CaseIterable { case info, warning, critical }
    /// `clear`: staff can fix it (refill paper); `maintenance`: a technician must come; `suspend`: it recovers by itself.
    public enum Action: String, Sendable, Codable, CaseIterable { case clear, maintenance, suspend }

    public var device: String
    public var code: String
    public var severity: Severity
    public var action: Action
    public var summary: String

    public init(device: String, code: String, severity: Severity, action: Action, summary: String) {
        self.device = device
        self.code = code
        self.severity = severity
        self.action = action
        self.summary = summary
    }

    /// Stable per device and code: raising it again while active changes nothing.
    public var key: String { "\(device).\(code)" }

    /// The central has not answered for longer than the configured threshold; requests wait in the outbox.
    public static func centralUnreachable(minutes: Int) -> Fault {
        Fault(
            device: "central", code: "unreachable", severity: .warning, action: .suspend,
            summary: "De centrale voorziening is al meer dan \(minutes) minuten onbereikbaar; aanvragen wachten in de kiosk.")
    }

    /// The central refused a stored request for good (409, 422): it needs a person (`kioskctl queue`).
    public static let deadLetter = Fault(
        device: "outbox", code: "dead-letter", severity: .warning, action: .maintenance,
        summary: "De centrale voorziening weigerde een aanvraag; bekijk de wachtrij met kioskctl queue list.")

    /// The kiosk's disk is full: it cannot take requests until space is made.
    public static let diskFull = Fault(
        device: "kiosk", code: "disk-full", severity: .critical, action: .maintenance,
        summary: "De schijf van de kiosk is vol; de kiosk kan geen aanvragen aannemen.")
}

/// A fault raised or resolved, as it travels to the central through the outbox. `at` is seconds since 1970.
public struct FaultReport: Sendable, Equatable, Codable {
    public enum Change: String, Sendable, Codable { case raised, resolved }

    public var fault: Fault
    public var change: Change
    public var at: Double

    public init(fault: Fault, change: Change, at: Double) {
        self.fault = fault
        self.change = change
        self.at = at
    }
}
