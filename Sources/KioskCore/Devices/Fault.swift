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

    /// Someone plugged in a device the kiosk does not know: a security matter, which alerting never groups away.
    public var isSecurity: Bool { device == "usb" && code.hasPrefix("unknown-") }

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

extension Fault {
    /// The codes ``device(_:_:status:)`` gives: a fault with one of these is about the device's status, and a new status
    /// replaces it.
    public static let statusCodes: Set<String> = [
        "offline", "missing", "paper-jam", "hardware-error", "door-open", "paper-out", "paper-low", "card-jam",
    ]

    /// The fault a device's status means, if any: what staff must do about it, in Dutch. Paper low is a fault too (info), so
    /// staff refill before it runs out; a device that is busy or fine has none.
    public static func device(_ id: String, _ deviceClass: DeviceClass, status: DeviceStatus) -> Fault? {
        let name = "\(deviceClass.dutchName) \(id)"
        // The driver's own words, when it has them, say what to do better than the state's (which queue, which command).
        func fault(_ code: String, _ severity: Severity, _ action: Action, _ text: String) -> Fault {
            let said = status.detail.map { "\($0)." } ?? text
            return Fault(device: id, code: code, severity: severity, action: action, summary: "\(name): \(said)")
        }
        switch status.state {
        case .offline: return fault("offline", .critical, .maintenance, "offline of onbereikbaar.")
        case .noDevice: return fault("missing", .critical, .maintenance, "niet gevonden; is het apparaat losgekoppeld?")
        case .hardwareError where status.paper == .jammed:
            return fault("paper-jam", .warning, .clear, "papier vastgelopen; verwijder het vastgelopen papier.")
        case .hardwareError: return fault("hardware-error", .critical, .maintenance, "apparaatfout; een technicus is nodig.")
        case .userError: return fault("door-open", .warning, .clear, "een klep of deur staat open; sluit deze.")
        case .online, .busy:
            switch status.paper {
            case .out: return fault("paper-out", .warning, .clear, "het papier is op; vul de papierrol bij.")
            case .jammed: return fault("paper-jam", .warning, .clear, "papier vastgelopen; verwijder het vastgelopen papier.")
            case .low: return fault("paper-low", .info, .clear, "het papier raakt op; vul de papierrol bij.")
            case .full, nil: break
            }
            if status.media == .jammed { return fault("card-jam", .warning, .clear, "een kaart zit vast in de lezer.") }
            return nil
        }
    }
}

extension Fault {
    /// A print job that failed while the resident waited: staff should check the printer and the resident may come to the
    /// counter with the reference. Resolved by the next job that prints.
    public static func printFailed(_ id: String) -> Fault {
        Fault(
            device: id, code: "job-failed", severity: .warning, action: .maintenance,
            summary: "Printer \(id): een afdruk voor een bewoner is mislukt; controleer de printer.")
    }

    /// A job whose outcome the printer never told (it went away mid-job): staff look in the tray for the reference's
    /// document, and give it to the resident at the counter, or print it there. One fault per reference, so two residents' jobs are two faults; staff resolve each by hand (`kioskctl faults`).
    /// The reference is the kiosk's request number, not personal data.
    public static func printUnconfirmed(_ id: String, reference given: String?) -> Fault {
        // The reference comes from the central: only one shaped like a kiosk reference (letters, a dash, letters and
        // digits, as TLB-QR7X2M4P) goes into the fault's code and text; a lying central's line break or BSN is left out.
        let reference = given.flatMap { Self.isReference($0) ? $0 : nil }
        let which = reference.map { "voor referentie \($0) " } ?? ""
        return Fault(
            device: id, code: "job-unconfirmed" + (reference.map { "-\($0)" } ?? ""), severity: .warning, action: .clear,
            summary:
                "Printer \(id): niet bevestigd of de afdruk \(which)is gemaakt; kijk in de uitvoerbak en help de bewoner aan de balie."
        )
    }
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

/// Faults on their way to one staff alert sink. A raise has no `endsAt`; a resolve has one. A refresh re-sends every open
/// fault, so that Alertmanager (which forgets alerts on restart and expires them after its resolve_timeout) keeps them.
/// A batch with a `silence` asks Alertmanager instead to silence its faults (when staff acknowledged them, so they are not
/// reminded every `repeat_interval`), or to lift that silence (before the resolve, which a silence would mute too).
public struct AlertBatch: Sendable, Equatable, Codable {
    public struct Alert: Sendable, Equatable, Codable {
        public var id: Int64
        public var fault: Fault
        public var startsAt: Double
        public var endsAt: Double?
        public var acknowledged: Bool

        public init(id: Int64, fault: Fault, startsAt: Double, endsAt: Double?, acknowledged: Bool) {
            self.id = id
            self.fault = fault
            self.startsAt = startsAt
            self.endsAt = endsAt
            self.acknowledged = acknowledged
        }

        public init(_ record: FaultBook.Record) {
            self.init(
                id: record.id, fault: record.fault, startsAt: record.firstSeen, endsAt: record.resolvedAt,
                acknowledged: record.state == .acknowledged)
        }
    }

    public var sink: String
    public var alerts: [Alert]
    /// Nil for a notification (and in batches queued before silences were sent).
    public var silence: Silence?

    public enum Silence: Sendable, Equatable, Codable {
        /// Until then, in seconds since 1970.
        case set(until: Double)
        case lift
    }

    public init(sink: String, alerts: [Alert], silence: Silence? = nil) {
        self.sink = sink
        self.alerts = alerts
        self.silence = silence
    }
}

extension Fault {
    /// More requests wait in the outbox than the central normally leaves there.
    public static func outboxBacklog(_ count: Int) -> Fault {
        Fault(
            device: "outbox", code: "backlog", severity: .warning, action: .suspend,
            summary: "Er wachten \(count) aanvragen in de kiosk op verzending naar de centrale voorziening.")
    }

    /// The oldest request in the outbox has waited too long.
    public static func outboxStale(minutes: Int) -> Fault {
        Fault(
            device: "outbox", code: "stale", severity: .warning, action: .maintenance,
            summary: "De oudste aanvraag in de kiosk wacht al \(minutes) minuten op verzending.")
    }

    /// The disk is nearly full: requests will soon not be taken.
    public static func diskLow(freeMegabytes: Int) -> Fault {
        Fault(
            device: "kiosk", code: "disk-low", severity: .warning, action: .maintenance,
            summary: "De schijf van de kiosk is bijna vol (\(freeMegabytes) MB vrij).")
    }

    /// A document's data passed passive authentication but its chip could not prove its key: a copy of a real document,
    /// or one of those issued with a broken chip. The resident was sent to the counter; staff look at the document.
    public static func cloneSuspected(_ reader: String) -> Fault {
        Fault(
            device: reader, code: "clone-suspected", severity: .warning, action: .clear,
            summary: "Een document op de kaartlezer kon niet bewijzen dat zijn chip echt is (een kopie, of een defecte chip); "
                + "de bewoner is naar de balie verwezen. Bekijk het document aan de balie.")
    }

    /// The master list of trusted CSCAs is older than its limit: documents of new series may not verify.
    public static func masterListStale(days: Int) -> Fault {
        Fault(
            device: "documents", code: "master-list-stale", severity: .warning, action: .maintenance,
            summary: "De masterlijst met CSCA-certificaten is \(days) dagen oud; installeer de nieuwste lijst.")
    }

    /// The screen was asked to draw and did not: residents see a frozen or black screen.
    public static let frontStalled = Fault(
        device: "screen", code: "not-drawing", severity: .critical, action: .maintenance,
        summary: "Het scherm van de kiosk tekent niet meer; bewoners zien een bevroren of zwart scherm.")

    /// Nobody touched the screen for hours while the kiosk was in service: the touch panel may be dead.
    public static func touchSilent(hours: Int) -> Fault {
        Fault(
            device: "screen", code: "no-touch", severity: .warning, action: .clear,
            summary: "Het aanraakscherm is al \(hours) uur niet aangeraakt; controleer of het nog werkt.")
    }
}

extension Fault {
    /// `PREFIX-CODE`: 2 to 5 capital letters, a dash, 4 to 20 capital letters and digits. Never all digits (a BSN).
    static func isReference(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, (2...5).contains(parts[0].count), (4...20).contains(parts[1].count) else { return false }
        return parts[0].allSatisfy { $0.isASCII && $0.isUppercase }
            && parts[1].allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) }
    }
}
