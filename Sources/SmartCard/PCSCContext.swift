import CPCSCLite
import Dispatch
import Glibc
public import MRTD
import Synchronization

/// One PC/SC context and the thread its blocking calls run on.
///
/// pcsc-lite calls block (`SCardGetStatusChange` for as long as its timeout, `SCardTransmit` for as long as the card takes),
/// so they never run on Swift's cooperative pool, which has two threads on this machine: each context has a serial queue of
/// its own, and async callers wait on a continuation. `SCardCancel` is the one call that may come from any thread.
public final class PCSCContext: Sendable {
    private let queue: DispatchQueue
    private let handle = Mutex<Int?>(nil)

    public init(label: String) {
        queue = DispatchQueue(label: "kioskd.pcsc.\(label)")
    }

    deinit { release() }

    /// Runs `body` on this context's thread with an established context, establishing it first if needed.
    func run<T: Sendable>(_ body: @escaping @Sendable (SCARDCONTEXT) throws(PCSCError) -> T) async throws(PCSCError) -> T {
        let result: Result<T, PCSCError> = await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: self.blocking(body))
            }
        }
        return try result.get()
    }

    /// The same, on the caller's thread, which must be this context's queue.
    func blocking<T>(_ body: (SCARDCONTEXT) throws(PCSCError) -> T) -> Result<T, PCSCError> {
        do throws(PCSCError) {
            let context = try established()
            do {
                return .success(try body(context))
            } catch {
                // A context whose service went away (pcscd restarted) is useless: drop it so the next call makes a new one.
                if error.code == PCSCError.noService { release() }
                throw error
            }
        } catch {
            return .failure(error)
        }
    }

    private func established() throws(PCSCError) -> SCARDCONTEXT {
        if let existing = handle.withLock({ $0 }) { return SCARDCONTEXT(existing) }
        var context: SCARDCONTEXT = 0
        let status = SCardEstablishContext(DWORD(0x0002), nil, nil, &context)  // SCARD_SCOPE_SYSTEM
        guard status == 0 else { throw PCSCError(Int(status), during: "SCardEstablishContext") }
        handle.withLock { $0 = Int(context) }
        return context
    }

    func release() {
        if let context = handle.withLock({ value -> Int? in
            defer { value = nil }; return value
        }) {
            SCardReleaseContext(SCARDCONTEXT(context))
        }
    }

    /// Wakes a `SCardGetStatusChange` that is waiting on this context.
    func cancel() {
        if let context = handle.withLock({ $0 }) { SCardCancel(SCARDCONTEXT(context)) }
    }

    /// The readers pcscd knows, by name.
    public func readers() async throws(PCSCError) -> [String] {
        try await run { context throws(PCSCError) in try Self.listReaders(context) }
    }

    static func listReaders(_ context: SCARDCONTEXT) throws(PCSCError) -> [String] {
        var length: DWORD = 0
        var status = SCardListReaders(context, nil, nil, &length)
        if Int(status) == PCSCError.noReadersAvailable { return [] }
        guard status == 0 else { throw PCSCError(Int(status), during: "SCardListReaders") }
        var buffer = [CChar](repeating: 0, count: Int(length))
        status = SCardListReaders(context, nil, &buffer, &length)
        if Int(status) == PCSCError.noReadersAvailable { return [] }
        guard status == 0 else { throw PCSCError(Int(status), during: "SCardListReaders") }
        // A multi-string: names separated by NUL, ended by an empty one.
        return buffer.split(separator: 0).map { String(decoding: $0.map { UInt8(bitPattern: $0) }, as: UTF8.self) }
    }

    /// Connects to the card on `reader` (shared, T=0 or T=1) and returns it with its ATR.
    public func connect(_ reader: String) async throws(PCSCError) -> PCSCCard {
        try await run { context throws(PCSCError) in
            var card: SCARDHANDLE = 0
            var proto: DWORD = 0
            let status = SCardConnect(context, reader, DWORD(0x0002), DWORD(0x0003), &card, &proto)
            guard status == 0 else { throw PCSCError(Int(status), during: "SCardConnect") }
            var atr = [UInt8](repeating: 0, count: 33)
            var atrLength = DWORD(33)
            var state: DWORD = 0
            var activeProtocol: DWORD = 0
            var nameLength: DWORD = 0
            let statusOK = SCardStatus(card, nil, &nameLength, &state, &activeProtocol, &atr, &atrLength) == 0
            return PCSCCard(
                context: self, handle: Int(card), protocolT1: proto == 0x0002,
                atr: statusOK ? Array(atr.prefix(Int(atrLength))) : [])
        }
    }
}

/// A connected card: a ``CardTransport`` over `SCardTransmit`. Disconnect when done.
public final class PCSCCard: CardTransport {
    let context: PCSCContext
    let handle: Int
    public let protocolT1: Bool
    public let atr: [UInt8]

    init(context: PCSCContext, handle: Int, protocolT1: Bool, atr: [UInt8]) {
        self.context = context
        self.handle = handle
        self.protocolT1 = protocolT1
        self.atr = atr
    }

    public func transmit(_ command: [UInt8]) async throws(MRTDError) -> [UInt8] {
        let handle = handle
        let t1 = protocolT1
        do {
            return try await context.run { _ throws(PCSCError) in
                var pci = SCARD_IO_REQUEST(
                    dwProtocol: t1 ? 0x0002 : 0x0001, cbPciLength: UInt(MemoryLayout<SCARD_IO_REQUEST>.size))
                var response = [UInt8](repeating: 0, count: 258)
                var length = DWORD(response.count)
                let status = SCardTransmit(
                    SCARDHANDLE(handle), &pci, command, DWORD(command.count), nil, &response, &length)
                guard status == 0 else { throw PCSCError(Int(status), during: "SCardTransmit") }
                return Array(response.prefix(Int(length)))
            }
        } catch {
            throw error.isCardGone ? .cardRemoved : .transport(error.description)
        }
    }

    public func disconnect() async {
        let handle = handle
        _ = try? await context.run { _ throws(PCSCError) in
            SCardDisconnect(SCARDHANDLE(handle), DWORD(0x0001))  // SCARD_RESET_CARD: the chip's session ends with ours
        }
    }
}

extension PCSCContext {
    /// What a reader holds right now.
    public struct ReaderState: Sendable, Equatable, Codable {
        public var reader: String
        public var cardPresent: Bool
        public var atr: [UInt8]
    }

    /// Every reader and whether a card is on it, with the card's ATR.
    public func states() async throws(PCSCError) -> [ReaderState] {
        try await run { context throws(PCSCError) in
            let readers = try Self.listReaders(context)
            return try readers.map { reader throws(PCSCError) in try Self.state(of: reader, context, timeout: 0) }
        }
    }

    /// Waits up to `seconds` for a card on `reader`; returns its state either way.
    public func waitForCard(on reader: String, seconds: Double) async throws(PCSCError) -> ReaderState {
        try await run { context throws(PCSCError) in
            var state = try Self.state(of: reader, context, timeout: 0)
            let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
            while !state.cardPresent, DispatchTime.now().uptimeNanoseconds < deadline {
                state = try Self.state(of: reader, context, timeout: 500, known: state.cardPresent ? 0x20 : 0x10)
            }
            return state
        }
    }

    static func state(of reader: String, _ context: SCARDCONTEXT, timeout: DWORD, known: DWORD = 0) throws(PCSCError)
        -> ReaderState
    {
        let name = strdup(reader)
        defer { free(name) }
        var entry = SCARD_READERSTATE()
        entry.szReader = UnsafePointer(name)
        entry.dwCurrentState = known
        let status = SCardGetStatusChange(context, timeout, &entry, 1)
        guard status == 0 || Int(status) == PCSCError.timeout else {
            throw PCSCError(Int(status), during: "SCardGetStatusChange")
        }
        let flags = Int(status) == PCSCError.timeout ? known : entry.dwEventState
        let atr = withUnsafeBytes(of: entry.rgbAtr) { Array($0.prefix(Int(entry.cbAtr))) }
        return ReaderState(reader: reader, cardPresent: flags & 0x20 != 0, atr: flags & 0x20 != 0 ? atr : [])
    }
}
