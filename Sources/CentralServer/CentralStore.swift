import Crypto
package import Foundation
package import GRDB

/// kiosk-central's memory: cases, pickups, staff calls, faults and the answers given per idempotency key, in one SQLite file.
///
/// WAL with `synchronous=FULL`, so an answer the server gave survives a crash of the server. Every state-changing operation
/// runs inside ``idempotent(key:operation:request:_:)``: one write transaction that either replays the stored answer or does
/// the work and stores its answer, so a retried request can never create a second case.
package final class CentralStore: Sendable {
    let pool: DatabasePool

    /// Opens (and migrates) the database at `path`.
    /// - throws: GRDB's `DatabaseError` when the file cannot be opened or is not a database.
    package init(path: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // A served and deleted extract is overwritten, not just unlinked (and ``scrub()`` takes it out of the WAL).
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        // A scrub's checkpoint waits up to a second for readers to move to the newest snapshot, rather than give up.
        configuration.busyMode = .timeout(1)
        pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "answer") { t in
                t.primaryKey("key", .text)
                t.column("operation", .text).notNull()
                t.column("digest", .text).notNull()
                t.column("status", .integer).notNull()
                t.column("body", .blob).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "extractCase") { t in
                t.primaryKey("caseId", .text)
                t.column("reference", .text).notNull().unique()
                t.column("kioskId", .text).notNull()
                t.column("product", .text).notNull()
                t.column("documentId", .text)
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "pickup") { t in
                t.primaryKey("code", .text)
                t.column("documentKind", .text).notNull()
                t.column("birthDate", .text).notNull()
                t.column("surname", .text).notNull()
                t.column("collectedAt", .datetime)
                t.column("ticket", .text)
            }
            try db.create(table: "staffCall") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kioskId", .text).notNull()
                t.column("flow", .text)
                t.column("step", .text)
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "fault") { t in
                t.primaryKey("key", .text)
                t.column("kioskId", .text).notNull()
                t.column("device", .text).notNull()
                t.column("code", .text).notNull()
                t.column("severity", .text).notNull()
                t.column("summary", .text).notNull()
                t.column("firstSeen", .datetime).notNull()
                t.column("resolvedAt", .datetime)
            }
            try db.create(table: "heartbeat") { t in
                t.primaryKey("kioskId", .text)
                t.column("sentAt", .datetime).notNull()
                t.column("receivedAt", .datetime).notNull()
                t.column("outboxBacklog", .integer)
            }
        }
        migrator.registerMigration("v2: documents") { db in
            // Produced extracts, kept only until the kiosk has fetched them (see CentralHandler.documentLifetime).
            try db.create(table: "document") { t in
                t.primaryKey("documentId", .text)
                t.column("caseId", .text).notNull()
                t.column("pdf", .blob).notNull()
                t.column("createdAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v3: pickup holder by BSN") { db in
            // The applicant's BSN, which the chip's must equal, and the failed holder checks that lock the code at 5.
            try db.alter(table: "pickup") { t in
                t.add(column: "bsn", .text)
                t.add(column: "failedChecks", .integer).notNull().defaults(to: 0)
            }
        }
        migrator.registerMigration("v4: where a case's BSN came from") { db in
            try db.alter(table: "extractCase") { t in t.add(column: "bsnSource", .text) }
        }
        migrator.registerMigration("v5: the payment of the fee") { db in
            try db.alter(table: "extractCase") { t in
                t.add(column: "payment", .blob)
                t.add(column: "paymentDay", .text)
                t.add(column: "paymentCents", .integer)
            }
        }
        BackOfficeJournal.migrate(&migrator)
        return migrator
    }

    // MARK: - Idempotency

    /// A stored answer: an HTTP status and the JSON body that went with it.
    package struct Answer: Sendable, Equatable {
        package var status: Int
        package var body: Data
    }

    /// Why an idempotent operation was refused before it ran.
    package enum Refusal: Error, Equatable {
        /// The key was used before for a different operation or a different request.
        case keyReused
    }

    /// Runs `work` at most once per key, in one write transaction, and returns its answer, or the stored one on a retry.
    ///
    /// - parameters:
    ///   - request: the request as received; only its SHA-256 is kept, so no personal data lands in the answer table.
    /// - throws: ``Refusal/keyReused`` when the key came with another operation or request; anything `work` throws, in which
    ///   case nothing is stored and a retry runs the work again.
    package func idempotent(
        key: String, operation: String, request: Data, _ work: @Sendable @escaping (Database) throws -> Answer
    )
        async throws -> Answer
    {
        let digest = SHA256.hash(data: request).map { String(format: "%02x", $0) }.joined()
        return try await pool.write { db in
            if let row = try Row.fetchOne(
                db, sql: "SELECT operation, digest, status, body FROM answer WHERE key = ?", arguments: [key])
            {
                guard row["operation"] as String == operation, row["digest"] as String == digest else { throw Refusal.keyReused }
                return Answer(status: row["status"], body: row["body"])
            }
            let answer = try work(db)
            try db.execute(
                sql: "INSERT INTO answer (key, operation, digest, status, body, createdAt) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [key, operation, digest, answer.status, answer.body, Date()])
            return answer
        }
    }

    /// The answer stored for a key, if the same request came with it before; throws ``Refusal/keyReused`` if another did.
    package func storedAnswer(key: String, operation: String, request: Data) async throws -> Answer? {
        let digest = SHA256.hash(data: request).map { String(format: "%02x", $0) }.joined()
        return try await pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT operation, digest, status, body FROM answer WHERE key = ?", arguments: [key])
            else { return nil }
            guard row["operation"] as String == operation, row["digest"] as String == digest else { throw Refusal.keyReused }
            return Answer(status: row["status"], body: row["body"])
        }
    }

    // MARK: - Reads

    package func read<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        try await pool.read(body)
    }

    package func write<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        try await pool.write(body)
    }

    /// Copies the WAL into the database and truncates it, so a deleted extract is not still in the WAL's old pages. Best
    /// effort: a reader holding the WAL leaves it for the next one.
    package func scrub() async {
        _ = try? await pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    }
}
