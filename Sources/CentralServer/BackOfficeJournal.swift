import Crypto
package import Foundation
package import GRDB

/// The gateway's journal of the back-office steps done per kiosk request, in kiosk-central's own database.
///
/// None of the ZGW or Klantinteracties calls has an idempotency key, so exactly-once rests on this: a step is marked as
/// tried (committed) before its call, and its object's URL is stored (committed) after. A step found tried without a URL
/// was interrupted: the gateway looks its object up by natural key before it makes it again. The personal data a step
/// needs (BSN, name, the PDF) is sealed with AES-GCM under the journal key, and dropped (with `secure_delete` and a WAL
/// checkpoint) once every step is done.
package struct BackOfficeJournal: Sendable {
    let store: CentralStore
    let key: SymmetricKey

    package init(store: CentralStore, key: Data) {
        self.store = store
        self.key = SymmetricKey(data: key)
    }

    /// The steps of an extract request, in the order they are done.
    package enum Step: String, Sendable, CaseIterable {
        case zaak, document, link, rol, received, contact, closed
    }

    /// What the steps need that must not be readable at rest.
    package struct Sealed: Codable, Sendable {
        package var bsn: String
        package var surname: String
        package var prefix: String
        package var givenNames: String
        package var birthDate: String?
        package var pdf: Data?
        package var language: String
        /// A contact without an extract (a pickup, a call for staff, a resident sent to the counter): what it was about.
        package var subject: String?
        package var content: String?

        package init(
            bsn: String, surname: String = "", prefix: String = "", givenNames: String = "", birthDate: String? = nil,
            pdf: Data? = nil, language: String, subject: String? = nil, content: String? = nil
        ) {
            self.bsn = bsn
            self.surname = surname
            self.prefix = prefix
            self.givenNames = givenNames
            self.birthDate = birthDate
            self.pdf = pdf
            self.language = language
            self.subject = subject
            self.content = content
        }
    }

    /// What a journal entry is for: an extract request's whole case, or one contact.
    package enum Kind: String, Sendable {
        case extract, contact
    }

    /// One request as the journal has it.
    package struct Entry: Sendable {
        package var reference: String
        package var kind: Kind
        package var kioskID: String
        package var product: String
        package var identificatie: String
        package var sealed: Sealed?
        package var done: [Step: String]
        package var tried: Set<Step>
        /// When the last step was marked tried: a call of a process that died may still land until well after that.
        package var triedAt: Date?
        package var wantClosed: Bool
        package var attempts: Int
        package var createdAt: Date
    }

    static func migrate(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6: back-office journal") { db in
            try db.create(table: "backOffice") { t in
                t.primaryKey("reference", .text)
                t.column("kioskId", .text).notNull()
                t.column("product", .text).notNull()
                t.column("identificatie", .text).notNull().unique()
                t.column("sealed", .blob)
                for step in Step.allCases { t.column(step.rawValue, .text) }
                t.column("tried", .text).notNull().defaults(to: "")
                t.column("triedAt", .datetime)
                t.column("wantClosed", .boolean).notNull().defaults(to: false)
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("nextAttempt", .datetime).notNull()
                t.column("lastError", .text)
                t.column("createdAt", .datetime).notNull()
                t.column("finishedAt", .datetime)
            }
        }
        migrator.registerMigration("v7: contacts and pickups") { db in
            try db.alter(table: "backOffice") { t in t.add(column: "kind", .text).notNull().defaults(to: "extract") }
            // Failed holder checks per pickup code (the register of cases has no place for them), and the tickets given;
            // the code is kept as ``codeKey(_:)``.
            try db.create(table: "backOfficePickup") { t in
                t.primaryKey("code", .text)
                t.column("failedChecks", .integer).notNull().defaults(to: 0)
                t.column("ticket", .text)
            }
        }
    }

    /// Adds a request, inside the transaction that stores the kiosk's answer.
    package func insert(
        _ db: Database, reference: String, kioskID: String, product: String, identificatie: String,
        sealed: Sealed
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO backOffice (reference, kioskId, product, identificatie, sealed, nextAttempt, createdAt)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [reference, kioskID, product, identificatie, try seal(sealed), Date(), Date()])
    }

    /// Adds one contact to record (its `identificatie` is the marker that finds it again); a second with the same
    /// reference is ignored, so a retried request records one contact.
    package func insertContact(
        _ db: Database, reference: String, kioskID: String, marker: String, zaak: String?, sealed: Sealed
    ) throws {
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO backOffice
                (reference, kind, kioskId, product, identificatie, sealed, zaak, nextAttempt, createdAt)
                VALUES (?, 'contact', ?, '', ?, ?, ?, ?, ?)
                """, arguments: [reference, kioskID, marker, try seal(sealed), zaak, Date(), Date()])
    }

    package func entry(_ reference: String) async throws -> Entry? {
        try await store.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM backOffice WHERE reference = ?", arguments: [reference]).map(entry)
        }
    }

    func entry(_ row: Row) throws -> Entry {
        var done: [Step: String] = [:]
        for step in Step.allCases { if let url = row[step.rawValue] as String? { done[step] = url } }
        let tried = Set((row["tried"] as String).split(separator: ",").compactMap { Step(rawValue: String($0)) })
        return Entry(
            reference: row["reference"], kind: Kind(rawValue: row["kind"]) ?? .extract, kioskID: row["kioskId"],
            product: row["product"],
            identificatie: row["identificatie"], sealed: try (row["sealed"] as Data?).map(open), done: done, tried: tried,
            triedAt: row["triedAt"], wantClosed: row["wantClosed"], attempts: row["attempts"], createdAt: row["createdAt"])
    }

    /// Committed before each call of a step: the step is tried, and when its latest call began.
    package func markTried(_ reference: String, _ step: Step) async throws {
        try await store.write { db in
            try db.execute(
                sql: """
                    UPDATE backOffice SET triedAt = ?,
                    tried = CASE WHEN instr(tried, ?) = 0 THEN tried || ? ELSE tried END WHERE reference = ?
                    """, arguments: [Date(), step.rawValue + ",", step.rawValue + ",", reference])
        }
    }

    /// Committed after the step's call: the URL of what it made or found. Progress resets the back-off: it grows only
    /// with failures in a row.
    package func markDone(_ reference: String, _ step: Step, url: String) async throws {
        try await store.write { db in
            try db.execute(
                sql: "UPDATE backOffice SET \(step.rawValue) = ?, attempts = 0 WHERE reference = ?",
                arguments: [url, reference])
        }
    }

    /// The kiosk fetched the extract: it is printed, so the case may be closed.
    package func wantClosed(identificatie: String) async throws -> String? {
        try await store.write { db in
            try db.execute(sql: "UPDATE backOffice SET wantClosed = 1 WHERE identificatie = ?", arguments: [identificatie])
            return try String.fetchOne(
                db, sql: "SELECT reference FROM backOffice WHERE identificatie = ?", arguments: [identificatie])
        }
    }

    /// A failed run: when to try again (doubling from 2 s to 5 min), and why, without personal data.
    package func failed(_ reference: String, attempts: Int, error: String) async throws {
        let delay = min(300.0, pow(2.0, Double(min(attempts, 9))))
        try await store.write { db in
            try db.execute(
                sql: "UPDATE backOffice SET attempts = ?, nextAttempt = ?, lastError = ? WHERE reference = ?",
                arguments: [attempts, Date().addingTimeInterval(delay), String(error.prefix(500)), reference])
        }
    }

    /// Not before `date`: an interrupted call may still land until then.
    package func later(_ reference: String, until date: Date) async throws {
        try await store.write { db in
            try db.execute(sql: "UPDATE backOffice SET nextAttempt = ? WHERE reference = ?", arguments: [date, reference])
        }
    }

    /// A back-office fault kiosk-central has itself (a refused credential, a catalogue that does not serve), in the same
    /// fault table the kiosks' faults go to, so that staff see it in `/admin/faults`: raised once, resolved by the next
    /// request that goes through.
    package func fault(_ code: String, summary: String?) async {
        let key = "kiosk-central.backoffice.\(code)"
        _ = try? await store.write { db in
            if let summary {
                try db.execute(
                    sql: """
                        INSERT INTO fault (key, kioskId, device, code, severity, summary, firstSeen)
                        VALUES (?, 'kiosk-central', 'backoffice', ?, 'critical', ?, ?)
                        ON CONFLICT(key) DO UPDATE SET summary = excluded.summary,
                        firstSeen = CASE WHEN resolvedAt IS NULL THEN firstSeen ELSE excluded.firstSeen END, resolvedAt = NULL
                        """, arguments: [key, code, String(summary.prefix(500)), Date()])
            } else {
                try db.execute(
                    sql: "UPDATE fault SET resolvedAt = ? WHERE key = ? AND resolvedAt IS NULL", arguments: [Date(), key])
            }
        }
    }

    /// Every step is done: the personal data goes, from the WAL too.
    package func finish(_ reference: String) async throws {
        try await store.write { db in
            try db.execute(
                sql: "UPDATE backOffice SET sealed = NULL, finishedAt = ?, lastError = NULL WHERE reference = ?",
                arguments: [Date(), reference])
        }
        await store.scrub()
    }

    /// Requests with steps left whose time has come.
    package func due(now: Date = Date()) async throws -> [String] {
        try await store.read { db in
            try String.fetchAll(
                db, sql: "SELECT reference FROM backOffice WHERE finishedAt IS NULL AND nextAttempt <= ? ORDER BY createdAt",
                arguments: [now])
        }
    }

    /// How a pickup code is kept in kiosk-central's own tables: an HMAC under the journal key, never the code itself.
    package func codeKey(_ code: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(code.utf8), using: key).map { String(format: "%02x", $0) }.joined()
    }

    func seal(_ sealed: Sealed) throws -> Data {
        guard let combined = try AES.GCM.seal(try JSONEncoder().encode(sealed), using: key).combined else {
            throw CocoaError(.coderInvalidValue)
        }
        return combined
    }

    func open(_ data: Data) throws -> Sealed {
        try JSONDecoder().decode(Sealed.self, from: try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: key))
    }
}
