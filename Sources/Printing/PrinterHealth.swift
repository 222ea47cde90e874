public import KioskCore

/// What one look at a printer found, and what it means for the kiosk. Pure, so the mapping is tested without a printer.
///
/// CUPS learns an IPP printer's state only while it sends a job, so an idle queue shows stale reasons or none: the printer
/// itself is asked (Get-Printer-Attributes on its device URI), and the queue only for whether it is stopped or refusing jobs.
public struct PrinterReading: Sendable, Equatable {
    /// False when the printer did not answer at all.
    public var reachable: Bool
    /// `printer-state`: 3 idle, 4 processing, 5 stopped.
    public var state: Int
    /// `printer-state-reasons` as the printer sent them.
    public var reasons: [String]
    public var queueStopped: Bool
    public var queueAccepting: Bool
    /// Where CUPS sends the queue's jobs (`ipp://…`, `usb://…`), when the queue said.
    public var deviceURI: String?
    /// Supplies and their levels in percent (-1 when the printer does not know), from `printer-supply` or `marker-levels`.
    public var supplies: [Supply] = []
    /// The CUPS queue read, for what staff are told to type.
    public var queue = ""
    /// Whether CUPS answered, and had the queue.
    public var cups = CUPSAnswer.answered
    /// `document-format-supported` and `media-ready` (then `media-default`), from the printer itself.
    public var formats: [String] = []
    public var media: [String] = []
    /// `printer-resolution-default` in dots per inch, when the printer says.
    public var resolution: Int?

    /// The roll loaded in the printer, if it prints on one: tickets are drawn to its width.
    public var roll: MediaSize? { media.lazy.compactMap { MediaSize(pwg: $0) }.first { $0.isRoll } }

    public enum CUPSAnswer: Sendable, Equatable {
        case answered, down, noQueue
    }

    /// The printer can be sent a PDF itself, and asked about its job: the kiosk's own path (see ``CUPSPrinter``).
    public var takesPDFDirectly: Bool {
        guard let deviceURI, deviceURI.hasPrefix("ipp://") || deviceURI.hasPrefix("ipps://") else { return false }
        return formats.contains("application/pdf")
    }

    public struct Supply: Sendable, Equatable {
        public var name: String
        public var level: Int

        public init(name: String, level: Int) {
            self.name = name
            self.level = level
        }
    }

    /// `printer-supply` values (PWG 5100.13), `key=value;` pairs, with their descriptions.
    public static func supplies(_ values: [String], descriptions: [String]) -> [Supply] {
        values.enumerated().compactMap { index, value in
            var fields: [String: String] = [:]
            for pair in value.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
            }
            guard let level = fields["level"].flatMap(Int.init) else { return nil }
            let name = index < descriptions.count ? descriptions[index] : (fields["type"] ?? "supply \(index + 1)")
            let max = fields["maxcapacity"].flatMap(Int.init) ?? 100
            let percent = level < 0 || max <= 0 ? -1 : min(100, level * 100 / max)
            return Supply(name: String(name.prefix(40)), level: percent)
        }
    }

    public var suppliesSummary: String {
        supplies.map { "\($0.name) \($0.level < 0 ? "?" : "\($0.level)%")" }.joined(separator: ", ")
    }

    public init(reachable: Bool, state: Int = 3, reasons: [String] = [], queueStopped: Bool = false, queueAccepting: Bool = true)
    {
        self.reachable = reachable
        self.state = state
        self.reasons = reasons
        self.queueStopped = queueStopped
        self.queueAccepting = queueAccepting
    }

    /// The reasons without their severity suffix: ippeveprinter says `-report` while idle and `-warning` while printing,
    /// real printers `-error`; what matters is the reason.
    public var keywords: Set<String> {
        Set(
            reasons.map { reason in
                for suffix in ["-report", "-warning", "-error"] where reason.hasSuffix(suffix) {
                    return String(reason.dropLast(suffix.count))
                }
                return reason
            }
        ).subtracting(["none"])
    }

    /// The device status, worst first: CUPS or its queue missing, unreachable, stopped queue, jam, door, paper out, empty
    /// supply, then the mild ones. A blocking one says why in its detail, naming the queue and the command that helps.
    public var status: DeviceStatus {
        switch cups {
        case .down: return DeviceStatus(state: .offline, detail: "CUPS is niet bereikbaar; draait cupsd?")
        case .noQueue: return DeviceStatus(state: .noDevice, detail: "CUPS heeft geen wachtrij \(queue); zie lpstat -v")
        case .answered: break
        }
        let k = keywords
        guard reachable, !k.contains("offline"), !k.contains("shutdown") else {
            return DeviceStatus(
                state: .offline, detail: "de printer achter wachtrij \(queue) antwoordt niet (\(deviceURI ?? "?"))")
        }
        if queueStopped {
            return DeviceStatus(state: .offline, detail: "de CUPS-wachtrij \(queue) is gestopt: cupsenable \(queue)")
        }
        if !queueAccepting {
            return DeviceStatus(state: .offline, detail: "de CUPS-wachtrij \(queue) weigert opdrachten: cupsaccept \(queue)")
        }
        if !k.isDisjoint(with: ["paused", "moving-to-paused"]) {
            return DeviceStatus(state: .offline, detail: "de printer achter wachtrij \(queue) is gepauzeerd")
        }
        if k.contains("media-jam") { return DeviceStatus(state: .hardwareError, paper: .jammed) }
        if !k.isDisjoint(with: ["cover-open", "door-open", "interlock-open"]) { return DeviceStatus(state: .userError) }
        if k.contains("input-tray-missing") {
            return DeviceStatus(state: .userError, detail: "de papierlade van de printer ontbreekt; plaats de lade terug")
        }
        if k.contains("output-area-full") {
            return DeviceStatus(state: .userError, detail: "de uitvoerbak van de printer is vol; maak hem leeg")
        }
        if !k.isDisjoint(with: ["media-empty", "media-needed"]) { return DeviceStatus(state: .online, paper: .out) }
        if !k.isDisjoint(with: ["marker-supply-empty", "toner-empty", "marker-waste-full", "spool-area-full"]) {
            return DeviceStatus(state: .hardwareError, detail: "de printer meldt \(summary)")
        }
        if state == 5 {
            return DeviceStatus(state: .hardwareError, detail: "de printer is gestopt (\(summary))")
        }
        let paper: DeviceStatus.Paper = k.contains("media-low") ? .low : .full
        return DeviceStatus(state: state == 4 ? .busy : .online, paper: paper)
    }

    /// What a technician reads in `kioskctl status`: the reasons that are not `none`, sorted.
    public var summary: String {
        var parts = keywords.sorted()
        if cups == .down { return "CUPS unreachable" }
        if cups == .noQueue { return "no queue \(queue)" }
        if !reachable { parts.insert("unreachable", at: 0) }
        if queueStopped { parts.append("queue stopped") }
        if !queueAccepting { parts.append("queue not accepting jobs") }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }
}

/// Takes a new status only once it was read `needed` times in a row, so a state that flaps between two polls changes the
/// kiosk (and raises a fault) once, not at every flap.
public struct Hysteresis: Sendable {
    public private(set) var current: DeviceStatus
    private var candidate: DeviceStatus?
    private var seen = 0
    let needed: Int

    public init(initial: DeviceStatus, needed: Int = 2) {
        current = initial
        self.needed = needed
    }

    /// Returns the new status when it changed.
    public mutating func observe(_ status: DeviceStatus) -> DeviceStatus? {
        guard status != current else {
            candidate = nil
            seen = 0
            return nil
        }
        if status == candidate {
            seen += 1
        } else {
            candidate = status
            seen = 1
        }
        guard seen >= needed else { return nil }
        current = status
        candidate = nil
        seen = 0
        return status
    }
}
