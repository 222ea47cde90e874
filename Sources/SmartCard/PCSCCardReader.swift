import CPCSCLite
import Dispatch
import Glibc
public import KioskCore
public import KioskDevices
public import Logging
public import MRTD
import Synchronization

/// A real card reader through pcscd: follows readers and cards with `SCardGetStatusChange`, and reads the chip of an ID card
/// or passport with PACE or BAC (``ChipReader``), with passive authentication against the kiosk's trusted CSCAs.
///
/// Profile options: `reader`, a part of the reader's PC/SC name to pick it among several (default: the first reader).
/// A reader that is unplugged and plugged back is picked up again through pcscd's `\\?PnP?\Notification`. Status: online with
/// the card present or not, `noDevice` with no matching reader, `hardwareError` while pcscd is not running.
public final class PCSCCardReader: CardReader {
    public let profile: DeviceProfile
    public let events: AsyncStream<DeviceEvent>
    let continuation: AsyncStream<DeviceEvent>.Continuation
    let pattern: String
    let logger: Logger
    /// How long a whole chip read may take (option `readTimeoutMillis`, default 10000).
    let readTimeout: Duration
    /// The CSCAs passive authentication checks against; nil reports it as not checked.
    let trust: TrustStore?
    let monitor = PCSCContext(label: "monitor")
    private let state = Mutex(Seen(status: DeviceStatus(state: .noDevice), reader: nil, problem: nil))
    private let tally = Mutex(CardReadCounters())
    private let stopped = Atomic(false)

    struct Seen: Sendable {
        var status: DeviceStatus
        var reader: String?
        var problem: String?
    }

    public init(profile: DeviceProfile, trust: TrustStore? = nil, logger: Logger) {
        self.profile = profile
        self.trust = trust
        self.logger = logger
        pattern = profile.options["reader"] ?? ""
        readTimeout = .milliseconds(profile.option("readTimeoutMillis", default: 10_000))
        (events, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(64))
        let queue = DispatchQueue(label: "kioskd.pcsc.watch")
        queue.async { [self] in watch() }
    }

    public func status() async -> DeviceStatus { state.withLock { $0.status } }

    public var capabilities: [String: String] {
        let seen = state.withLock { $0 }
        var capabilities = [
            "protocols": "T=0, T=1", "chip": "ICAO 9303 PACE and BAC, EF.COM, DG1, DG14, DG15, EF.SOD",
            "passive authentication": trust.map { "\($0.count) trusted CSCAs" } ?? "off (no CSCAs configured)",
        ]
        capabilities["reader"] = seen.reader ?? "none matching '\(pattern)'"
        if let problem = seen.problem { capabilities["problem"] = problem }
        return capabilities
    }

    public var counters: [String: Int] { tally.withLock { $0.values } }

    /// Stops following pcscd (tests; the daemon keeps it for its life).
    public func stop() {
        stopped.store(true, ordering: .relaxed)
        monitor.cancel()
        continuation.finish()
    }

    public func readIdentity(with key: AccessKey) async -> CardReadResult {
        guard let reader = state.withLock({ $0.status.media == .present ? $0.reader : nil }) else { return .cardRemoved }
        let card: PCSCCard
        do {
            card = try await PCSCContext(label: "read").connect(reader)
        } catch {
            logger.warning("card reader \(profile.id): \(error)")
            return count(error.isCardGone ? .cardRemoved : .unreadable)
        }
        do {
            let trust = trust
            let result = try await withDeadline(card) { card throws(MRTDError) in
                try await ChipReader.read(T0Transport(card), key: DocumentKey(key), trust: trust)
            }
            let identity = try result.dg1.identity
            // Reset on the way out, before anything else may talk to the card: the chip's session ends with ours.
            await card.disconnect()
            let passive = result.passive.map(\.description) ?? "passive authentication not checked"
            let antiClone = result.antiClone.map(\.description) ?? "anti-clone not checked"
            logger.info(
                "card reader \(profile.id): chip read with \(result.access), \(result.apdus) APDUs; \(passive); \(antiClone)")
            return count(.identity(identity, Self.evidence(result.passive, result.antiClone)))
        } catch {
            if case .timedOut = error {
                // The connection's thread may still be stuck in the card: do not wait behind it.
                Task { await card.disconnect() }
            } else {
                await card.disconnect()
            }
            // The MRTD errors never carry personal data: safe to log as they are.
            logger.warning("card reader \(profile.id): \(error)")
            switch error {
            case .accessDenied: return count(.accessDenied)
            case .canRequired: return count(.canRequired)
            case .cardRemoved: return count(.cardRemoved)
            default:
                // A card pulled mid-APDU often shows up as a garbled or empty answer before pcscd reports it gone.
                return count(await cardLeft() ? .cardRemoved : .unreadable)
            }
        }
    }

    /// What the flow gets to know of passive authentication: the outcome's kind and the issuing country, no names.
    static func evidence(_ outcome: PassiveAuthentication.Outcome?, _ chip: AntiClone?) -> ChipEvidence {
        let passive: ChipEvidence.Passive =
            switch outcome {
            case nil: .notChecked
            case .valid(let country, _, _)?: .valid(country: country)
            case .dataAltered(let number)?: .dataAltered(dataGroup: number)
            case .unknownIssuer?: .unknownIssuer
            case .invalid?: .invalid
            }
        let antiClone: ChipEvidence.AntiClone =
            switch chip {
            case nil: .notChecked
            case .chipAuthentication?, .activeAuthentication?: .proved
            case .failed?: .failed
            case .notSupported?: .notSupported
            }
        return ChipEvidence(passive: passive, antiClone: antiClone)
    }

    /// Runs the read, but gives up after `readTimeout`: a card or reader that stops answering must not hold the resident.
    /// pcsc-lite has no timeout on SCardTransmit, so a stuck call stays on its connection's thread; each read connects
    /// afresh, so the next read is not stuck behind it.
    private func withDeadline<T: Sendable>(
        _ card: PCSCCard, _ work: @escaping @Sendable (PCSCCard) async throws(MRTDError) -> T
    ) async throws(MRTDError) -> T {
        let timeout = readTimeout
        // Not a task group: a group waits for all its children, and the stuck one may never return.
        let result: Result<T, MRTDError> = await withCheckedContinuation { continuation in
            let resumed = Mutex(false)
            let finish: @Sendable (Result<T, MRTDError>) -> Void = { result in
                if !resumed.withLock({ done in
                    defer { done = true }; return done
                }) {
                    continuation.resume(returning: result)
                }
            }
            Task {
                do throws(MRTDError) { finish(.success(try await work(card))) } catch { finish(.failure(error)) }
            }
            Task {
                try? await Task.sleep(for: timeout)
                finish(.failure(.timedOut("\(timeout)")))
            }
        }
        return try result.get()
    }

    /// Whether the card leaves the reader within half a second: the monitor sees it within one of its rounds.
    private func cardLeft() async -> Bool {
        for _ in 0..<10 {
            if state.withLock({ $0.status.media }) != .present { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    private func count(_ result: CardReadResult) -> CardReadResult {
        tally.withLock { $0.count(result) }
        return result
    }

    // MARK: - Following readers and cards

    /// Runs on a thread of its own until ``stop()``: each round waits up to a second for a change.
    private func watch() {
        var readerState: DWORD = 0
        var readerName: String?
        while !stopped.load(ordering: .relaxed) {
            let round = monitor.blocking { context throws(PCSCError) in
                let readers = try PCSCContext.listReaders(context)
                let name = readers.first { pattern.isEmpty || $0.contains(pattern) }
                if name != readerName {
                    readerName = name
                    readerState = 0
                }
                var names = ["\\\\?PnP?\\Notification"]
                if let name { names.append(name) }
                let pointers = names.map { strdup($0) }
                defer { pointers.forEach { free($0) } }
                var states = pointers.enumerated().map { index, pointer in
                    var entry = SCARD_READERSTATE()
                    entry.szReader = UnsafePointer(pointer)
                    entry.dwCurrentState = index == 0 ? DWORD(readers.count) << 16 : readerState
                    return entry
                }
                let status = SCardGetStatusChange(context, 1000, &states, DWORD(states.count))
                if Int(status) == PCSCError.timeout || Int(status) == PCSCError.cancelled { return (name, readerState) }
                guard status == 0 else { throw PCSCError(Int(status), during: "SCardGetStatusChange") }
                if states.count > 1 { readerState = states[1].dwEventState & ~DWORD(0x0002) }
                return (name, readerState)
            }
            switch round {
            case .success(let (name, flags)):
                guard let name else {
                    update(DeviceStatus(state: .noDevice), reader: nil, problem: "no reader matches '\(pattern)'")
                    continue
                }
                if flags & 0x000C != 0 {
                    update(DeviceStatus(state: .noDevice), reader: name, problem: "the reader is unavailable")
                } else if flags != 0 {
                    let present = flags & 0x0020 != 0
                    // A mute card (0x200) is on the reader but does not answer: present, and reading it will fail clearly.
                    update(DeviceStatus(state: .online, media: present ? .present : .notPresent), reader: name, problem: nil)
                }
            case .failure(let error):
                update(DeviceStatus(state: .hardwareError), reader: nil, problem: error.description)
                readerState = 0
                readerName = nil
                monitor.release()
                usleep(1_000_000)
            }
        }
    }

    private func update(_ status: DeviceStatus, reader: String?, problem: String?) {
        let before = state.withLock { seen -> DeviceStatus in
            defer { seen = Seen(status: status, reader: reader, problem: problem) }
            return seen.status
        }
        guard before != status else { return }
        if let problem, before.state != status.state { logger.warning("card reader \(profile.id): \(problem)") }
        continuation.yield(.status(status))
        if status.media == .present, before.media != .present { continuation.yield(.cardInserted) }
        if before.media == .present, status.media != .present { continuation.yield(.cardRemoved) }
    }
}
