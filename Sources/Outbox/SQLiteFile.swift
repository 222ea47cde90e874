public import Foundation
public import GRDB

/// Opening a kiosk database file that must never be lost and never stop the kiosk: a file that is not a database (a crash
/// mid-write on a cheap SD card, a tampered file) is moved aside with its WAL and SHM, never deleted, and a fresh one made.
public enum SQLiteFile {
    /// Opens `path` with `open`; on failure moves the file aside to `PATH.corrupt-TIMESTAMP` and opens afresh.
    /// - returns: the pool, and where the old file went if it was moved.
    public static func openMovingAside(_ path: String, open: (String) throws -> DatabasePool) throws(SQLiteFileError)
        -> (DatabasePool, movedAside: String?)
    {
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
