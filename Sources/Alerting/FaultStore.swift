public import Foundation
import GRDB
public import KioskCore
import Outbox

/// The kiosk's fault history on disk (SQLite), so that a restart neither forgets an open fault nor raises it twice, and a
/// technician can see what happened last week. Holds no personal data: fault texts are about devices.
///
/// Also remembers which devices a technician took out of service, since that too must survive a restart.
public final class FaultStore: Sendable {
    let pool: DatabasePool
    /// Where a corrupt file was moved at start, for the daemon to report.
    public let movedAside: String?

    /// Opens (or makes) the store at `path`. A file that is not a database is moved aside to `PATH.corrupt-TIMESTAMP`.
    public init(path: String) throws(AlertingError) {
        do {
            (pool, movedAside) = try SQLiteFile.openMovingAside(path, table: "fault", migrations: Self.migrations)
        } catch {
            throw AlertingError("the fault store: \(error)")
        }
    }

    static func migrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v1") { db in
            try db.create(table: "fault") { t in
                t.primaryKey("id", .integer)
                t.column("key", .text).notNull()
                t.column("state", .text).notNull()
                t.column("resolvedAt", .double)
                t.column("record", .text).notNull()
            }
            try db.create(index: "faultState", on: "fault", columns: ["state"])
            try db.create(table: "outOfService") { t in
                t.primaryKey("device", .text)
                t.column("since", .double).notNull()
            }
        }
    }

    /// Stores records as they are now (insert or replace).
    public func save(_ records: [FaultBook.Record]) async throws(AlertingError) {
        guard !records.isEmpty else { return }
        let encoder = JSONEncoder()
        do {
            try await pool.write { db in
                for record in records {
                    let json = String(decoding: try encoder.encode(record), as: UTF8.self)
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO fault (id, key, state, resolvedAt, record) VALUES (?, ?, ?, ?, ?)",
                        arguments: [record.id, record.fault.key, record.state.rawValue, record.resolvedAt, json])
                }
            }
        } catch {
            throw AlertingError("cannot store faults: \(Self.describe(error))")
        }
    }

    /// Open faults, and the highest id ever used (so ids are never given twice).
    public func openRecords() async throws -> [FaultBook.Record] {
        try await records(sql: "SELECT record FROM fault WHERE state != 'resolved' ORDER BY id")
    }

    /// The newest `limit` records of any state, newest first.
    public func history(limit: Int) async throws -> [FaultBook.Record] {
        try await records(sql: "SELECT record FROM fault ORDER BY id DESC LIMIT \(max(1, limit))")
    }

    /// The newest record, for the id counter (a resolved record is not loaded into the book, but its id stays taken).
    public func newest() async throws -> FaultBook.Record? {
        try await records(sql: "SELECT record FROM fault ORDER BY id DESC LIMIT 1").first
    }

    private func records(sql: String) async throws -> [FaultBook.Record] {
        let texts = try await pool.read { db in try String.fetchAll(db, sql: sql) }
        let decoder = JSONDecoder()
        return texts.compactMap { try? decoder.decode(FaultBook.Record.self, from: Data($0.utf8)) }
    }

    public func outOfService() async throws -> Set<String> {
        Set(try await pool.read { db in try String.fetchAll(db, sql: "SELECT device FROM outOfService") })
    }

    public func setOutOfService(_ device: String, _ out: Bool) async throws(AlertingError) {
        do {
            try await pool.write { db in
                if out {
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO outOfService (device, since) VALUES (?, ?)",
                        arguments: [device, Date().timeIntervalSince1970])
                } else {
                    try db.execute(sql: "DELETE FROM outOfService WHERE device = ?", arguments: [device])
                }
            }
        } catch {
            throw AlertingError("cannot store the service state of \(device): \(Self.describe(error))")
        }
    }

    /// Deletes resolved faults older than `date` (history retention).
    @discardableResult
    public func purge(resolvedBefore date: Date) async throws -> Int {
        let purged = try await pool.write { db in
            try db.execute(
                sql: "DELETE FROM fault WHERE state = 'resolved' AND resolvedAt < ?", arguments: [date.timeIntervalSince1970])
            return db.changesCount
        }
        await SQLiteFile.scrub(pool)
        return purged
    }

    static func describe(_ error: any Error) -> String {
        guard let error = error as? DatabaseError else { return "\(type(of: error))" }
        return "SQLite \(error.resultCode): \(error.message ?? "")"
    }
}

/// Why alerting could not do something, in one line.
public struct AlertingError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
