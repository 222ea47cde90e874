public import Central
package import Crypto
public import Foundation
package import GRDB
public import KioskCore
import Synchronization

/// The kiosk's durable queue of state-changing central calls: nothing a resident was told "received" is ever lost.
///
/// An entry is committed (WAL, `synchronous=FULL`) before ``enqueue(_:delivery:notBefore:)`` returns, so the resident is only
/// told after it is on disk. Its request is sealed with AES-GCM under a key kept in a file of mode 0600; once delivered, the
/// sealed request is deleted and only metadata (kind, kiosk reference, times) stays until it is purged.
public final class Outbox: Sendable {
    /// The database the payment journal shares, so that an approved payment and its request commit together.
    package let pool: DatabasePool
    /// The 32 key bytes; `SymmetricKey` is not `Sendable` in swift-crypto 3, so it is made per use.
    let keyBytes: Data
    package var key: SymmetricKey { SymmetricKey(data: keyBytes) }
    /// Where a corrupt outbox file was moved at start, for the daemon to report.
    public let movedAside: String?
    /// Told after each commit, so the drainer wakes at once instead of at its next look.
    private let listeners = Mutex<[@Sendable () -> Void]>([])
    /// A sealed request was erased since the last scrub: the WAL may still hold it.
    private let erased = Mutex(false)

    /// Calls `listener` after every enqueue (from the enqueuing task; keep it short).
    public func onEnqueue(_ listener: @escaping @Sendable () -> Void) {
        listeners.withLock { $0.append(listener) }
    }

    /// Opens the outbox at `path`, with its key at `keyPath` (made on first start).
    ///
    /// A file that is not a database is moved aside to `PATH.corrupt-TIMESTAMP`, never deleted, and a fresh outbox is made.
    /// - throws: ``OutboxError`` when the folder cannot be written or the key file is unusable.
    /// - parameter makeKey: false for a key handed in from outside (systemd credentials): a missing one is an error.
    public init(path: String, keyPath: String, makeKey: Bool = true) throws(OutboxError) {
        keyBytes = try Self.loadKey(keyPath, make: makeKey)
        do {
            (pool, movedAside) = try SQLiteFile.openMovingAside(path, table: "entry", migrations: Self.migrations)
        } catch {
            throw OutboxError("the outbox: \(error)")
        }
        // What a crash left in the WAL after a delivery goes now.
        SQLiteFile.scrub(pool)
    }

    /// Something sealed was erased (here or in the payment journal): the next scrub takes it out of the WAL.
    package func noteErased() { erased.withLock { $0 = true } }

    /// Takes erased requests out of the WAL (``SQLiteFile/scrub(_:)``), if any were erased since the last time. The drainer
    /// calls it when it has nothing due, so a busy queue pays for one checkpoint per lull, not one per delivery.
    public func scrub() async {
        guard erased.withLock({ $0 }) else { return }
        if await SQLiteFile.scrub(pool) { erased.withLock { $0 = false } }
    }

    static func migrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v1") { db in
            try db.create(table: "entry") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull()
                t.column("reference", .text).notNull()
                t.column("idempotencyKey", .text).notNull().unique()
                t.column("sealed", .blob)
                t.column("state", .text).notNull()
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("nextAttemptAt", .double).notNull()
                t.column("createdAt", .double).notNull()
                t.column("finishedAt", .double)
                t.column("lastError", .text)
            }
            try db.create(index: "entryDue", on: "entry", columns: ["state", "kind", "id"])
        }
        // The payment journal (the Payment module's PaymentJournal): one row per attempt, committed before the terminal is
        // asked. Its id is the attempt's sequence number, which the terminal driver uses as its request id.
        migrator.registerMigration("v2-payment") { db in
            try db.create(table: "payment") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("reference", .text).notNull().indexed()
                t.column("amountCents", .integer).notNull()
                t.column("state", .text).notNull()
                t.column("detail", .text)
                t.column("sealed", .blob)
                t.column("brand", .text)
                t.column("day", .text).notNull()
                t.column("createdAt", .double).notNull()
                t.column("updatedAt", .double).notNull()
            }
        }
        // The terminal's day closures, so that a day closed twice still adds up against the central's record of the day.
        migrator.registerMigration("v3-closure") { db in
            try db.create(table: "closure") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("day", .text).notNull().indexed()
                t.column("count", .integer).notNull()
                t.column("amountCents", .integer).notNull()
                t.column("at", .double).notNull()
            }
        }
    }

    static func loadKey(_ path: String, make: Bool = true) throws(OutboxError) -> Data {
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count == 32 else {
                throw OutboxError("the outbox key \(path) is not 32 bytes; restore it or remove the outbox")
            }
            return data
        }
        guard make else {
            throw OutboxError(
                "the outbox key \(path) is missing; make one with: head -c 32 /dev/urandom > KEYFILE (see the README)")
        }
        let data = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw OutboxError("cannot create the outbox key \(path)")
        }
        return data
    }

    // MARK: - Entries

    /// An entry due for delivery, with its request unsealed.
    public struct Entry: Sendable {
        public let id: Int64
        public let kind: ServiceKind
        public let delivery: Delivery
        public let request: ServiceRequest
        public let attempts: Int

        /// The queue it waits in: its kind, or its alert sink.
        public var queue: String { request.queue }
    }

    /// What `kioskctl queue` shows: no personal data, only what staff need to find an entry.
    public struct Summary: Sendable, Codable, Equatable {
        public var id: Int64
        public var kind: String
        public var reference: String
        public var state: String
        public var attempts: Int
        public var createdAt: Date
        public var nextAttemptAt: Date
        public var lastError: String?
    }

    /// Inserts a sealed entry inside the caller's transaction (the payment journal's approval), and says so to the drainer
    /// once that transaction has committed.
    package func insert(_ request: ServiceRequest, delivery: Delivery, notBefore: Date, in db: Database) throws -> Int64 {
        let sealed = try AES.GCM.seal(JSONEncoder().encode(request), using: key).combined!
        let id = try Self.insertRow(db, request.queue, delivery, sealed: sealed, notBefore: notBefore)
        db.afterNextTransaction { _ in for listener in self.listeners.withLock({ $0 }) { listener() } }
        return id
    }

    /// The pending entry made for `reference`, if any: a paid request is queued when the terminal approves, and the flow's
    /// submit then sends that entry rather than a second one.
    public func pending(reference: String) async throws -> (id: Int64, delivery: Delivery)? {
        try await entry(reference: reference, states: ["pending"])
    }

    /// The entry made for `reference` in any state: even one the drainer has delivered meanwhile is sent again under its own
    /// idempotency key (the central answers it once and repeats that answer), never as a second request.
    public func entry(reference: String) async throws -> (id: Int64, delivery: Delivery)? {
        try await entry(reference: reference, states: ["pending", "delivered", "dead"])
    }

    private func entry(reference: String, states: [String]) async throws -> (id: Int64, delivery: Delivery)? {
        let list = states.map { "'\($0)'" }.joined(separator: ", ")
        return try await pool.read { db in
            try Row.fetchOne(
                db,
                sql:
                    "SELECT id, reference, idempotencyKey FROM entry WHERE reference = ? AND state IN (\(list)) ORDER BY id LIMIT 1",
                arguments: [reference]
            ).map { ($0["id"], Delivery(reference: $0["reference"], idempotencyKey: $0["idempotencyKey"])) }
        }
    }

    /// Commits a request; when this returns, it is on disk.
    ///
    /// - parameters:
    ///   - notBefore: the drainer leaves the entry alone until then (the online fast path is trying it meanwhile).
    /// - throws: ``OutboxError`` (disk full, I/O error): the resident must be told the request could not be taken.
    @discardableResult
    public func enqueue(_ request: ServiceRequest, delivery: Delivery, notBefore: Date = Date()) async throws(OutboxError)
        -> Int64
    {
        let sealed: Data
        do {
            sealed = try AES.GCM.seal(JSONEncoder().encode(request), using: key).combined!
        } catch {
            throw OutboxError("cannot seal the request")
        }
        defer { for listener in listeners.withLock({ $0 }) { listener() } }
        do {
            return try await pool.write { db in
                try Self.insertRow(db, request.queue, delivery, sealed: sealed, notBefore: notBefore)
            }
        } catch {
            throw OutboxError("cannot store the request: \(Self.describe(error))", full: Self.isFull(error))
        }
    }

    static func insertRow(_ db: Database, _ queue: String, _ delivery: Delivery, sealed: Data, notBefore: Date) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO entry (kind, reference, idempotencyKey, sealed, state, nextAttemptAt, createdAt)
                VALUES (?, ?, ?, ?, 'pending', ?, ?)
                """,
            arguments: [
                queue, delivery.reference, delivery.idempotencyKey, sealed, notBefore.timeIntervalSince1970,
                Date().timeIntervalSince1970,
            ])
        return db.lastInsertedRowID
    }

    /// The oldest pending entry of each queue, if it is due: entries of one queue are delivered in order. A queue is a
    /// request kind, or one alert sink (``ServiceRequest/queue``).
    public func due(at now: Date = Date()) async throws -> [Entry] {
        let rows = try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM entry WHERE id IN (SELECT MIN(id) FROM entry WHERE state = 'pending' GROUP BY kind)
                    AND nextAttemptAt <= ? ORDER BY id
                    """, arguments: [now.timeIntervalSince1970])
        }
        return rows.compactMap { row in
            guard let sealed = row["sealed"] as Data?,
                let box = try? AES.GCM.SealedBox(combined: sealed), let plain = try? AES.GCM.open(box, using: key),
                let request = try? JSONDecoder().decode(ServiceRequest.self, from: plain)
            else { return nil }
            return Entry(
                id: row["id"], kind: request.kind,
                delivery: Delivery(reference: row["reference"], idempotencyKey: row["idempotencyKey"]),
                request: request, attempts: row["attempts"])
        }
    }

    /// When the next pending head falls due, for the drainer's sleep.
    public func nextDue() async throws -> Date? {
        try await pool.read { db in
            try Double.fetchOne(
                db,
                sql: """
                    SELECT MIN(nextAttemptAt) FROM entry WHERE id IN
                    (SELECT MIN(id) FROM entry WHERE state = 'pending' GROUP BY kind)
                    """)
        }.map { Date(timeIntervalSince1970: $0) }
    }

    /// Delivered: the sealed request (the personal data) is deleted at once.
    public func markDelivered(_ id: Int64) async throws {
        try await update(
            "UPDATE entry SET state = 'delivered', sealed = NULL, finishedAt = ?, lastError = NULL WHERE id = ?",
            [
                Date().timeIntervalSince1970, id,
            ])
        erased.withLock { $0 = true }
    }

    public func markFailed(_ id: Int64, retryAt: Date, error: String) async throws {
        try await update(
            "UPDATE entry SET attempts = attempts + 1, nextAttemptAt = ?, lastError = ? WHERE id = ? AND state = 'pending'",
            [
                retryAt.timeIntervalSince1970, String(error.prefix(200)), id,
            ])
    }

    /// Refused for good: kept (sealed) for staff to look at, out of the delivery order.
    public func markDead(_ id: Int64, reason: String) async throws {
        try await update(
            "UPDATE entry SET state = 'dead', attempts = attempts + 1, finishedAt = ?, lastError = ? WHERE id = ?",
            [
                Date().timeIntervalSince1970, String(reason.prefix(200)), id,
            ])
    }

    /// Puts a dead or waiting entry back in line, due now.
    public func retry(_ id: Int64) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE entry SET state = 'pending', nextAttemptAt = ? WHERE id = ? AND state IN ('pending', 'dead')",
                arguments: [Date().timeIntervalSince1970, id])
            return db.changesCount > 0
        }
    }

    /// Deletes an entry whatever its state; for staff, after they dealt with it by hand.
    public func drop(_ id: Int64) async throws -> Bool {
        let dropped = try await pool.write { db in
            try db.execute(sql: "DELETE FROM entry WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
        erased.withLock { $0 = true }
        await scrub()
        return dropped
    }

    /// Deletes the metadata of entries delivered before `date` (retention, 7 days by default).
    @discardableResult
    public func purge(deliveredBefore date: Date) async throws -> Int {
        let purged = try await pool.write { db in
            try db.execute(
                sql: "DELETE FROM entry WHERE state = 'delivered' AND finishedAt < ?", arguments: [date.timeIntervalSince1970])
            return db.changesCount
        }
        erased.withLock { $0 = true }
        await scrub()
        return purged
    }

    /// Every entry not yet purged, oldest first.
    public func list() async throws -> [Summary] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM entry ORDER BY id").map { row in
                Summary(
                    id: row["id"], kind: row["kind"], reference: row["reference"], state: row["state"], attempts: row["attempts"],
                    createdAt: Date(timeIntervalSince1970: row["createdAt"]),
                    nextAttemptAt: Date(timeIntervalSince1970: row["nextAttemptAt"]), lastError: row["lastError"])
            }
        }
    }

    /// Entries the central refused for good, waiting for a person (`kioskctl queue`).
    public func deadCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entry WHERE state = 'dead'") ?? 0 }
    }

    /// Entries waiting for delivery, in all queues or in one (a ``ServiceRequest/queue``).
    public func backlog(queue: String? = nil) async throws -> Int {
        try await pool.read { db in
            if let queue {
                return try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM entry WHERE state = 'pending' AND kind = ?", arguments: [queue]) ?? 0
            }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entry WHERE state = 'pending'") ?? 0
        }
    }

    /// When the oldest entry still waiting was made, if any: for the backlog health check.
    public func oldestPending() async throws -> Date? {
        try await pool.read { db in
            try Double.fetchOne(db, sql: "SELECT MIN(createdAt) FROM entry WHERE state = 'pending'")
        }.map { Date(timeIntervalSince1970: $0) }
    }

    private func update(_ sql: String, _ arguments: StatementArguments) async throws {
        try await pool.write { db in try db.execute(sql: sql, arguments: arguments) }
    }

    package static func isFull(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_FULL
            || (error.resultCode == .SQLITE_IOERR && error.extendedResultCode.rawValue == 0x0D0A)
    }

    package static func describe(_ error: any Error) -> String {
        guard let error = error as? DatabaseError else { return "\(type(of: error))" }
        return "SQLite \(error.resultCode): \(error.message ?? "")"
    }
}

/// Why the outbox could not do something, in one line. `full` says the disk is full.
public struct OutboxError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public let full: Bool

    init(_ message: String, full: Bool = false) {
        description = message
        self.full = full
    }
}
