/// The kiosk's faults over time: which are active, since when, how often they came back, and what staff did about them.
///
/// Pure: the daemon feeds it what the checks see and the time, stores every ``Change`` it returns, and sends only raises and
/// resolves to staff. Three rules keep a flapping sensor from flooding staff with alerts:
/// - **Hysteresis.** A condition is raised only once it lasted `raiseAfter` (0 by default: drivers already debounce, and a
///   security fault is always raised at once), and resolved only after it stayed away for `clearAfter`. If it comes back in
///   the meantime, the same fault stays active; only its count and last-seen time change.
/// - **Rate limit.** A fault that came back `flapLimit` times within `flapWindow` after being resolved is flapping: its next
///   resolve waits the whole `flapWindow` instead.
///
/// After XFS4IoT: a fault is `active` until its condition is gone (or a technician resolves it), and `acknowledged` when staff
/// said they are on it. A device taken out of service (VendorMode) raises nothing until it is back in service.
public struct FaultBook: Sendable {
    public enum State: String, Sendable, Codable, CaseIterable { case active, acknowledged, resolved }

    /// One fault's life. `id` is stable, for `kioskctl faults ack ID`.
    public struct Record: Sendable, Equatable, Codable {
        public var id: Int64
        public var fault: Fault
        public var state: State
        public var firstSeen: Double
        public var lastSeen: Double
        /// How many times the condition was seen to start while this record lived (1 for a steady fault).
        public var count: Int
        /// When the condition went away, while the resolve waits out the hysteresis.
        public var clearedAt: Double?
        public var resolvedAt: Double?
        /// Re-raises soon after a resolve, within the flap window.
        public var flaps: Int
        /// Who resolved it, when not the kiosk itself ("technician").
        public var resolvedBy: String?
        /// When staff said they are on it; kept after the resolve, so the silence it set in Alertmanager can be lifted.
        public var acknowledgedAt: Double?

        public var isOpen: Bool { state != .resolved }
    }

    /// What to store, and what to tell staff.
    public enum Change: Sendable, Equatable {
        /// New (or back after a resolve): tell staff.
        case raised(Record)
        /// Gone: tell staff.
        case resolved(Record)
        /// Only stored (seen again, acknowledged, clearing started): staff hear nothing new.
        case updated(Record)

        public var record: Record {
            switch self {
            case .raised(let r), .resolved(let r), .updated(let r): r
            }
        }
    }

    public struct Settings: Sendable, Equatable {
        /// How long a condition must last before its fault is raised (seconds); security faults never wait.
        public var raiseAfter: Double
        /// How long a condition must stay away before its fault is resolved (seconds).
        public var clearAfter: Double
        public var flapLimit: Int
        public var flapWindow: Double

        public init(raiseAfter: Double = 0, clearAfter: Double = 30, flapLimit: Int = 3, flapWindow: Double = 600) {
            self.raiseAfter = raiseAfter
            self.clearAfter = clearAfter
            self.flapLimit = flapLimit
            self.flapWindow = flapWindow
        }
    }

    public let settings: Settings
    /// Every record not yet purged, by id.
    public private(set) var records: [Int64: Record] = [:]
    /// Devices a technician took out of service.
    public private(set) var outOfService: Set<String> = []
    private var nextID: Int64
    /// Conditions seen but not yet lasted `raiseAfter`, by key, with when they were first seen.
    private var pending: [String: (fault: Fault, since: Double)] = [:]

    /// Starts from what was stored: open records carry on, so a restart neither loses a fault nor raises it twice.
    /// `lastID` is the highest id ever given, resolved records included, so that no id is given twice.
    public init(settings: Settings = Settings(), stored: [Record] = [], lastID: Int64 = 0, outOfService: Set<String> = []) {
        self.settings = settings
        self.outOfService = outOfService
        for record in stored { records[record.id] = record }
        nextID = max(stored.map(\.id).max() ?? 0, lastID) + 1
    }

    /// The open record for a fault key, if any.
    public func open(_ key: String) -> Record? {
        records.values.first { $0.isOpen && $0.fault.key == key }
    }

    /// Open records, oldest first.
    public var openRecords: [Record] {
        records.values.filter(\.isOpen).sorted { ($0.firstSeen, $0.id) < ($1.firstSeen, $1.id) }
    }

    /// The condition behind `fault` is there now.
    public mutating func observe(_ fault: Fault, at now: Double) -> [Change] {
        guard !outOfService.contains(fault.device) else { return [] }
        if var record = open(fault.key) {
            let cameBack = record.clearedAt != nil
            let stored = record.lastSeen
            record.clearedAt = nil
            record.lastSeen = now
            record.fault = fault
            if cameBack { record.count += 1 }
            records[record.id] = record
            // Seen again while active: stored when it came back, else at most once a minute (last seen, for technicians).
            return cameBack || Int(now / 60) != Int(stored / 60) ? [.updated(record)] : []
        }
        var firstSeen = now
        if settings.raiseAfter > 0 && !fault.isSecurity {
            let since = pending[fault.key]?.since ?? now
            pending[fault.key] = (fault, since)
            guard now - since >= settings.raiseAfter else { return [] }
            firstSeen = since
        }
        pending[fault.key] = nil
        let recent = records.values.filter {
            $0.fault.key == fault.key && $0.state == .resolved && ($0.resolvedAt ?? 0) > now - settings.flapWindow
        }
        let flaps = recent.isEmpty ? 0 : (recent.map(\.flaps).max() ?? 0) + 1
        let record = Record(
            id: nextID, fault: fault, state: .active, firstSeen: firstSeen, lastSeen: now, count: 1, clearedAt: nil, resolvedAt: nil,
            flaps: flaps, resolvedBy: nil)
        nextID += 1
        records[record.id] = record
        return [.raised(record)]
    }

    /// The condition behind the fault with this key is gone; the fault resolves once it stayed gone long enough (``tick(at:)``).
    public mutating func cleared(_ key: String, at now: Double) -> [Change] {
        pending[key] = nil
        guard var record = open(key), record.clearedAt == nil else { return [] }
        record.clearedAt = now
        records[record.id] = record
        return [.updated(record)] + tick(at: now)
    }

    /// Raises the conditions that lasted long enough, and resolves the faults whose condition stayed away for the hysteresis
    /// (the whole flap window for a flapping one).
    public mutating func tick(at now: Double) -> [Change] {
        var changes: [Change] = []
        for (_, waiting) in pending.sorted(by: { $0.value.since < $1.value.since })
        where now - waiting.since >= settings.raiseAfter {
            changes += observe(waiting.fault, at: now)
        }
        for var record in openRecords {
            guard let cleared = record.clearedAt else { continue }
            let wait = record.flaps >= settings.flapLimit ? settings.flapWindow : settings.clearAfter
            guard now - cleared >= wait else { continue }
            record.state = .resolved
            record.resolvedAt = now
            records[record.id] = record
            changes.append(.resolved(record))
        }
        return changes
    }

    /// Staff are on it: the fault stays open (and keeps being reported) until its condition is gone.
    public mutating func acknowledge(_ id: Int64, at now: Double) -> Change? {
        guard var record = records[id], record.state == .active else { return nil }
        record.state = .acknowledged
        record.acknowledgedAt = now
        records[id] = record
        return .updated(record)
    }

    /// A technician says it is dealt with: for faults no check can clear (an unknown USB device that was plugged in).
    public mutating func resolveByHand(_ id: Int64, at now: Double) -> Change? {
        guard var record = records[id], record.isOpen else { return nil }
        record.state = .resolved
        record.resolvedAt = now
        record.resolvedBy = "technician"
        records[id] = record
        return .resolved(record)
    }

    /// A technician takes a device out of service: its open faults are resolved and it raises nothing until it is back.
    public mutating func takeOutOfService(_ device: String, at now: Double) -> [Change] {
        outOfService.insert(device)
        pending = pending.filter { $0.value.fault.device != device }
        return openRecords.filter { $0.fault.device == device }.compactMap { record in
            var record = record
            record.state = .resolved
            record.resolvedAt = now
            record.resolvedBy = "out of service"
            records[record.id] = record
            return .resolved(record)
        }
    }

    public mutating func returnToService(_ device: String) {
        outOfService.remove(device)
    }

    /// Forgets resolved records older than `before` (they stay in the store's history until it purges them too).
    public mutating func forget(resolvedBefore before: Double) {
        records = records.filter { $0.value.isOpen || ($0.value.resolvedAt ?? 0) >= before }
    }
}
