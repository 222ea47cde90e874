import Foundation
import GRDB
import KioskControl
import KioskCore
import Outbox

/// The funnel's counts on disk (SQLite), per day, flow, step and mark: ids and numbers only, never anything a resident
/// typed or showed. `kioskctl flows funnel` reads them.
actor FunnelStore {
    let pool: DatabasePool

    init(path: String) throws(SQLiteFileError) {
        (pool, _) = try SQLiteFile.openMovingAside(path, table: "funnel", migrations: Self.migrations)
    }

    static func migrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v1") { db in
            try db.create(table: "funnel") { t in
                t.column("day", .text).notNull()
                t.column("flow", .text).notNull()
                t.column("step", .text).notNull()
                t.column("mark", .text).notNull()
                t.column("count", .integer).notNull()
                t.primaryKey(["day", "flow", "step", "mark"])
            }
        }
    }

    /// Adds one to each count, on `day` (YYYY-MM-DD).
    func add(_ counts: [FunnelTally.Count], day: String) throws {
        guard !counts.isEmpty else { return }
        try pool.write { db in
            for count in counts {
                try db.execute(
                    sql: """
                        INSERT INTO funnel (day, flow, step, mark, count) VALUES (?, ?, ?, ?, 1)
                        ON CONFLICT(day, flow, step, mark) DO UPDATE SET count = count + 1
                        """, arguments: [day, count.flow, count.step, count.mark.rawValue])
            }
        }
    }

    /// The counts since `day` (inclusive), summed per flow, step and mark.
    func report(since day: String) throws -> FunnelReport {
        let rows = try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT flow, step, mark, SUM(count) AS total FROM funnel WHERE day >= ?
                    GROUP BY flow, step, mark ORDER BY flow, step
                    """, arguments: [day])
        }
        var steps: [String: FunnelReport.Step] = [:]
        for row in rows {
            let flow: String = row["flow"]
            let step: String = row["step"]
            let key = flow + "/" + step
            var entry = steps[key] ?? FunnelReport.Step(flow: flow, step: step)
            entry.counts[row["mark"]] = row["total"]
            steps[key] = entry
        }
        return FunnelReport(since: day, steps: steps.values.sorted { ($0.flow, $0.step) < ($1.flow, $1.step) })
    }
}
