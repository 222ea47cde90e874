public import Central
import Crypto
public import Foundation
import GRDB
public import KioskCore
public import KioskDevices
public import Outbox

/// The payment journal: one row per attempt, in the outbox's database, committed before the terminal is asked.
///
/// Its states, and who moves them:
/// - `sent`: committed, then the terminal is asked. What a crash leaves here is settled at the next start.
/// - `queued`: approved; in the same transaction the paid request went into the outbox, so an approved payment is never
///   without its request.
/// - `notCharged`: declined, cancelled, failed, or never reached the terminal.
/// - `unknown`: the terminal could not tell, even when asked again; a fault for staff, by the reference. Never retried.
/// - `reversing`, `reversed`, `reversalRefused`: the central refused the paid request, so the money goes back.
///
/// The request and the terminal's approval are sealed with the outbox's key; a payment that came to nothing loses its
/// sealed request at once (and the WAL at the next scrub).
public struct PaymentJournal: Sendable {
    public enum State: String, Sendable, Codable, CaseIterable {
        case sent, queued, notCharged, unknown, reversing, reversed, reversalRefused
    }

    /// One attempt, unsealed.
    public struct Entry: Sendable {
        public var sequence: Int
        public var reference: String
        public var amountCents: Int
        public var state: State
        public var day: String
        public var request: ServiceRequest?
        public var approval: TerminalApproval?

        public var attempt: PaymentAttempt { PaymentAttempt(reference: reference, sequence: sequence, amountCents: amountCents) }
    }

    /// What `kioskctl payment status` lists: no card, no request.
    public struct Summary: Sendable, Codable, Equatable {
        public var sequence: Int
        public var reference: String
        public var amountCents: Int
        public var state: String
        public var detail: String?
        public var brand: String?
        public var day: String
        public var createdAt: Date
        public var updatedAt: Date
    }

    /// What the sealed column holds.
    struct Sealed: Codable {
        var request: ServiceRequest?
        var approval: TerminalApproval?
    }

    let outbox: Outbox

    public init(outbox: Outbox) { self.outbox = outbox }

    /// Commits an attempt before the terminal is asked; its id is the attempt's sequence number.
    /// - throws: ``PaymentJournalError`` when it cannot be stored (a full disk): then the terminal must not be asked.
    public func begin(reference: String, amountCents: Int, day: String, request: ServiceRequest?)
        async throws(PaymentJournalError)
        -> PaymentAttempt
    {
        let now = Date().timeIntervalSince1970
        do {
            let sealed = try seal(Sealed(request: request, approval: nil))
            let id = try await outbox.pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO payment (reference, amountCents, state, sealed, day, createdAt, updatedAt)
                        VALUES (?, ?, 'sent', ?, ?, ?, ?)
                        """, arguments: [reference, amountCents, sealed, day, now, now])
                return db.lastInsertedRowID
            }
            return PaymentAttempt(reference: reference, sequence: Int(id), amountCents: amountCents)
        } catch {
            throw PaymentJournalError(.notStored, reference: reference, error)
        }
    }

    /// Approved: the approval is kept, and the paid request goes into the outbox in the same transaction.
    /// - returns: the outbox entry's id, when there was a request to queue.
    @discardableResult
    public func approved(
        _ attempt: PaymentAttempt, _ approval: TerminalApproval, request: ServiceRequest?, notBefore: Date
    ) async throws(PaymentJournalError) -> Int64? {
        do {
            let sealed = try seal(Sealed(request: nil, approval: approval))
            return try await outbox.pool.write { db in
                // Once only: an attempt already settled (by another look at the same entry) queues nothing again.
                try db.execute(
                    sql: """
                        UPDATE payment SET state = 'queued', sealed = ?, brand = ?, detail = NULL, updatedAt = ?
                        WHERE id = ? AND state IN ('sent', 'unknown')
                        """,
                    arguments: [sealed, approval.brand, Date().timeIntervalSince1970, attempt.sequence])
                guard db.changesCount == 1, let request else { return nil }
                let delivery = Delivery(reference: attempt.reference, idempotencyKey: UUID().uuidString)
                return try outbox.insert(request, delivery: delivery, notBefore: notBefore, in: db)
            }
        } catch {
            throw PaymentJournalError(.notStored, reference: attempt.reference, error)
        }
    }

    /// Nothing was charged: the request the payment was for is erased. Only an attempt not yet settled.
    public func notCharged(_ attempt: PaymentAttempt, detail: String) async throws(PaymentJournalError) {
        try await update(
            attempt.reference, attempt.sequence, to: .notCharged, detail: detail, erase: true, from: [.sent, .unknown])
    }

    /// The terminal could not tell; the entry keeps its request for staff, and is asked about again at each start.
    public func unknown(_ attempt: PaymentAttempt, detail: String) async throws(PaymentJournalError) {
        try await update(
            attempt.reference, attempt.sequence, to: .unknown, detail: detail, erase: false, from: [.sent, .unknown])
    }

    /// Whether an attempt waits to be settled (committed, and the terminal's answer never journaled).
    public func hasUnsettled() async throws -> Bool {
        try await outbox.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM payment WHERE state = 'sent'") ?? 0 > 0
        }
    }

    /// Marks an approved payment for reversal; returns its entry, or nil when there is no approved payment for `reference`.
    public func startReversal(reference: String, why: String) async throws(PaymentJournalError) -> Entry? {
        do {
            let row = try await outbox.pool.write { db -> Row? in
                try db.execute(
                    sql: """
                        UPDATE payment SET state = 'reversing', detail = ?, updatedAt = ?
                        WHERE reference = ? AND state IN ('queued', 'reversing')
                        """, arguments: [String(why.prefix(200)), Date().timeIntervalSince1970, reference])
                return try Row.fetchOne(
                    db, sql: "SELECT * FROM payment WHERE reference = ? AND state = 'reversing'", arguments: [reference])
            }
            return try row.map(entry)
        } catch {
            throw PaymentJournalError(.notStored, reference: reference, error)
        }
    }

    public func reversed(_ entry: Entry, detail: String) async throws(PaymentJournalError) {
        try await update(entry.reference, entry.sequence, to: .reversed, detail: detail, erase: false)
    }

    public func reversalRefused(_ entry: Entry, detail: String) async throws(PaymentJournalError) {
        try await update(entry.reference, entry.sequence, to: .reversalRefused, detail: detail, erase: false)
    }

    /// Entries a start must settle: sent (a crash mid-payment), unknown (asked again), reversing (a crash mid-reversal).
    public func unfinished() async throws -> [Entry] {
        let rows = try await outbox.pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM payment WHERE state IN ('sent', 'unknown', 'reversing') ORDER BY id")
        }
        return try rows.map(entry)
    }

    /// One entry by its sequence number.
    public func entry(sequence: Int) async throws -> Entry? {
        try await outbox.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM payment WHERE id = ?", arguments: [sequence])
        }.map(entry)
    }

    /// The newest entries first, for technicians.
    public func list(limit: Int = 50) async throws -> [Summary] {
        try await outbox.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM payment ORDER BY id DESC LIMIT ?", arguments: [limit]).map { row in
                Summary(
                    sequence: row["id"], reference: row["reference"], amountCents: row["amountCents"], state: row["state"],
                    detail: row["detail"], brand: row["brand"], day: row["day"],
                    createdAt: Date(timeIntervalSince1970: row["createdAt"]),
                    updatedAt: Date(timeIntervalSince1970: row["updatedAt"]))
            }
        }
    }

    /// Approved and not reversed, for one day: what the kiosk itself believes it took.
    public func taken(on day: String) async throws -> (count: Int, amountCents: Int) {
        try await outbox.pool.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) AS n, COALESCE(SUM(amountCents), 0) AS total FROM payment
                    WHERE day = ? AND state IN ('queued', 'reversing', 'reversalRefused')
                    """, arguments: [day])
            return (row?["n"] ?? 0, row?["total"] ?? 0)
        }
    }

    /// Records a terminal's day closure; returns the day's closures added up.
    public func recordClosure(day: String, _ totals: DayTotals) async throws -> (count: Int, amountCents: Int) {
        try await outbox.pool.write { db in
            try db.execute(
                sql: "INSERT INTO closure (day, count, amountCents, at) VALUES (?, ?, ?, ?)",
                arguments: [day, totals.count, totals.amountCents, Date().timeIntervalSince1970])
            let row = try Row.fetchOne(
                db, sql: "SELECT SUM(count) AS n, SUM(amountCents) AS total FROM closure WHERE day = ?", arguments: [day])
            return (row?["n"] ?? 0, row?["total"] ?? 0)
        }
    }

    /// The newest entry, for `kioskctl payment last`.
    public func newest() async throws -> Entry? {
        try await outbox.pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM payment ORDER BY id DESC LIMIT 1") }
            .map(entry)
    }

    /// How many entries are in each state.
    public func counts() async throws -> [String: Int] {
        try await outbox.pool.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM payment GROUP BY state") {
                counts[row["state"]] = row["n"]
            }
            return counts
        }
    }

    // MARK: - Rows

    private func update(
        _ reference: String, _ sequence: Int, to state: State, detail: String, erase: Bool, from: [State] = State.allCases
    ) async throws(PaymentJournalError) {
        let states = from.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        do {
            try await outbox.pool.write { db in
                try db.execute(
                    sql: "UPDATE payment SET state = ?, detail = ?, "
                        + (erase ? "sealed = NULL, " : "") + "updatedAt = ? WHERE id = ? AND state IN (\(states))",
                    arguments: [state.rawValue, String(detail.prefix(200)), Date().timeIntervalSince1970, sequence])
            }
            if erase { outbox.noteErased() }
        } catch {
            throw PaymentJournalError(.notStored, reference: reference, error)
        }
    }

    private func entry(_ row: Row) throws -> Entry {
        var sealed = Sealed()
        if let data = row["sealed"] as Data? {
            let box = try AES.GCM.SealedBox(combined: data)
            sealed = try JSONDecoder().decode(Sealed.self, from: AES.GCM.open(box, using: outbox.key))
        }
        return Entry(
            sequence: row["id"], reference: row["reference"], amountCents: row["amountCents"],
            state: State(rawValue: row["state"]) ?? .unknown, day: row["day"], request: sealed.request,
            approval: sealed.approval)
    }

    private func seal(_ value: Sealed) throws -> Data {
        try AES.GCM.seal(JSONEncoder().encode(value), using: outbox.key).combined!
    }
}
