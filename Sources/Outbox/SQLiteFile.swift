public import Foundation
public import GRDB

/// Opening a kiosk database file that must never be lost and never stop the kiosk: a file that is not a database (a crash
/// mid-write on a cheap SD card, a tampered file) is moved aside with its WAL and SHM, never deleted, and a fresh one made.
public enum SQLiteFile {
    /// Every connection: commits on disk when they return, and deleted content overwritten with zeros
    /// (`secure_delete`), so a deleted request or extract is gone from the file, not just unlinked from its pages.
    public static func prepare(_ db: Database) throws {
        try db.execute(sql: "PRAGMA synchronous = FULL")
        try db.execute(sql: "PRAGMA secure_delete = ON")
    }

    /// Copies the WAL into the database and truncates it to nothing: the WAL still holds the pages as they were before a
    /// delete (the sealed request, the extract), and only a checkpoint with truncate takes them out. Best effort: a reader
    /// holding the WAL makes it try again at the next scrub.
    @discardableResult
    public static func scrub(_ pool: DatabasePool) -> Bool {
        (try? pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }) != nil
    }

    /// ``scrub(_:)`` from async code: the checkpoint may wait up to the busy timeout, and must not hold a pool thread.
    @discardableResult
    public static func scrub(_ pool: DatabasePool) async -> Bool {
        (try? await pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }) != nil
    }

    /// Opens `path` in WAL with `synchronous=FULL` (a commit is on disk when it returns), runs the migrations, and reads
    /// `table` once so a damaged file fails here rather than at the first write. On failure the file is moved aside to
    /// `PATH.corrupt-TIMESTAMP` and a fresh one is made.
    /// - returns: the pool, and where the old file went if it was moved.
    public static func openMovingAside(
        _ path: String, table: String, migrations: @escaping (inout DatabaseMigrator) -> Void
    ) throws(SQLiteFileError) -> (DatabasePool, movedAside: String?) {
        func open(_ path: String) throws -> DatabasePool {
            var configuration = Configuration()
            configuration.prepareDatabase { db in try SQLiteFile.prepare(db) }
            // A scrub's checkpoint waits up to a second for readers to move to the newest snapshot, rather than give up.
            configuration.busyMode = .timeout(1)
            let pool = try DatabasePool(path: path, configuration: configuration)
            var migrator = DatabaseMigrator()
            migrations(&migrator)
            try migrator.migrate(pool)
            try pool.read { db in _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") }
            return pool
        }
        if let pool = try? open(path) { return (pool, nil) }
        let aside = path + ".corrupt-" + String(Int(Date().timeIntervalSince1970))
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            do {
                try FileManager.default.moveItem(atPath: path + suffix, toPath: aside + suffix)
            } catch {
                throw SQLiteFileError("\(path) is unreadable and cannot be moved aside")
            }
        }
        do {
            return (try open(path), aside)
        } catch {
            throw SQLiteFileError("cannot create \(path): \(Outbox.describe(error))")
        }
    }
}

public struct SQLiteFileError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
