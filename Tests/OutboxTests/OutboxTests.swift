import Central
import Foundation
import GRDB
import KioskCore
import KioskTesting
import Logging
import Testing

@testable import Outbox

/// The outbox on real SQLite files: commit-first, sealed at rest, in order per kind, and never lost to a bad file.
@Suite struct OutboxTests {
    static let identity = Identity(
        mrz: try! MRZ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"))
    static let extract = ServiceRequest.extractRequest(
        ExtractRequest(product: "standard", feeCents: 1440, bsn: "123456782", identity: identity, language: .nl))
    static let staff = ServiceRequest.callStaff(StaffCall(flow: "pickup", step: "code", language: .nl))

    /// A fresh folder with an outbox file and key path.
    struct Place {
        let dir: String
        var path: String { dir + "/outbox.sqlite" }
        var key: String { dir + "/outbox.key" }

        init() throws {
            dir = NSTemporaryDirectory() + "outbox-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }

        func open() throws -> Outbox { try Outbox(path: path, keyPath: key) }
    }

    static func delivery(_ n: Int) -> Delivery {
        Delivery(reference: "TLB-\(n)", idempotencyKey: "key-\(n)-\(UUID().uuidString)")
    }

    @Test func anEnqueuedEntrySurvivesReopeningAndKeepsItsRequest() async throws {
        let place = try Place()
        do {
            let outbox = try place.open()
            try await outbox.enqueue(Self.extract, delivery: Self.delivery(1))
        }
        let reopened = try place.open()
        let due = try await reopened.due()
        #expect(due.count == 1)
        #expect(due.first?.request == Self.extract)
        #expect(due.first?.delivery.reference == "TLB-1")
    }

    @Test func personalDataIsSealedAtRestAndGoneOnceDelivered() async throws {
        let place = try Place()
        let outbox = try place.open()
        let id = try await outbox.enqueue(Self.extract, delivery: Self.delivery(1))
        let attributes = try FileManager.default.attributesOfItem(atPath: place.key)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        let onDisk = try ["", "-wal"].compactMap { FileManager.default.contents(atPath: place.path + $0) }.reduce(Data(), +)
        #expect(onDisk.count > 0)
        for secret in ["123456782", "ERIKSSON", "L898902C3"] {
            #expect(onDisk.range(of: Data(secret.utf8)) == nil, "\(secret) is readable in the outbox file")
        }
        try await outbox.markDelivered(id)
        #expect(try await outbox.due().isEmpty)
        let summary = try #require(try await outbox.list().first)
        #expect(summary.state == "delivered")
        #expect(try await outbox.purge(deliveredBefore: Date().addingTimeInterval(1)) == 1)
        #expect(try await outbox.list().isEmpty)
    }

    /// The sealed request decrypts with the key, so it must leave the files themselves once delivered: the main file
    /// (secure_delete overwrites the freed bytes) and the WAL, whose old pages still held it (the last attack found them).
    @Test func aDeliveredRequestIsGoneFromTheFilesWALIncluded() async throws {
        let place = try Place()
        let outbox = try place.open()
        let id = try await outbox.enqueue(Self.extract, delivery: Self.delivery(1))
        let sealed = try await outbox.pool.read { db in
            try Data.fetchOne(db, sql: "SELECT sealed FROM entry WHERE id = ?", arguments: [id])
        }
        // A slice of the ciphertext, past the nonce: unique to this request.
        let slice = try #require(sealed).subdata(in: 16..<48)
        func onDisk() -> Data {
            ["", "-wal"].compactMap { FileManager.default.contents(atPath: place.path + $0) }.reduce(Data(), +)
        }
        #expect(onDisk().range(of: slice) != nil, "the test finds the sealed request while it is queued")
        try await outbox.markDelivered(id)
        await outbox.scrub()
        #expect(onDisk().range(of: slice) == nil, "the delivered request is still in the outbox files")
        let wal = (try? FileManager.default.attributesOfItem(atPath: place.path + "-wal")[.size] as? Int) ?? 0
        #expect(wal == 0, "the WAL is truncated")
    }

    @Test func entriesOfOneKindGoInOrderAndKindsDoNotWaitForEachOther() async throws {
        let outbox = try Place().open()
        let first = try await outbox.enqueue(Self.extract, delivery: Self.delivery(1))
        let second = try await outbox.enqueue(Self.extract, delivery: Self.delivery(2))
        let call = try await outbox.enqueue(Self.staff, delivery: Self.delivery(3))
        #expect(try await outbox.due().map(\.id) == [first, call])
        try await outbox.markFailed(first, retryAt: Date().addingTimeInterval(60), error: "503")
        #expect(try await outbox.due().map(\.id) == [call], "the second extract waits behind the first")
        try await outbox.markDelivered(first)
        #expect(try await outbox.due().map(\.id) == [second, call])
        #expect(try await outbox.backlog() == 2)
    }

    @Test func notBeforeKeepsTheDrainerAwayDuringTheFastPath() async throws {
        let outbox = try Place().open()
        // Times far from now, so that a loaded machine pausing the test for seconds changes nothing.
        let notBefore = Date().addingTimeInterval(600)
        try await outbox.enqueue(Self.staff, delivery: Self.delivery(1), notBefore: notBefore)
        #expect(try await outbox.due().isEmpty)
        #expect(try await outbox.due(at: notBefore.addingTimeInterval(1)).count == 1)
        let next = try #require(try await outbox.nextDue())
        #expect(abs(next.timeIntervalSince(notBefore)) < 0.01)
    }

    @Test func deadLettersLeaveTheLineAndCanBeRetriedOrDropped() async throws {
        let outbox = try Place().open()
        let id = try await outbox.enqueue(Self.extract, delivery: Self.delivery(1))
        try await outbox.markDead(id, reason: "Invalid extract request")
        #expect(try await outbox.due().isEmpty)
        #expect(try await outbox.list().first?.lastError == "Invalid extract request")
        #expect(try await outbox.retry(id))
        #expect(try await outbox.due().map(\.id) == [id])
        #expect(try await outbox.drop(id))
        #expect(try await outbox.drop(id) == false)
    }

    @Test func aCorruptFileIsMovedAsideNotDeleted() async throws {
        let place = try Place()
        let garbage = Data((0..<8192).map { _ in UInt8.random(in: 0...255) })
        FileManager.default.createFile(atPath: place.path, contents: garbage)
        let outbox = try place.open()
        let aside = try #require(outbox.movedAside)
        #expect(FileManager.default.contents(atPath: aside) == garbage)
        try await outbox.enqueue(Self.staff, delivery: Self.delivery(1))
        #expect(try await outbox.backlog() == 1)
    }

    @Test func aKeyOfTheWrongSizeIsRefused() throws {
        let place = try Place()
        FileManager.default.createFile(atPath: place.key, contents: Data("short".utf8))
        #expect(throws: OutboxError.self) { try place.open() }
    }
}

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(base: .seconds(1), cap: .seconds(60))

    @Test func delaysDoubleUpToTheCap() {
        #expect(policy.delay(failures: 1, retryAfter: nil, jitter: 0.999999) <= .seconds(1))
        #expect(policy.delay(failures: 4, retryAfter: nil, jitter: 0.999999) > .seconds(7.9))
        #expect(policy.delay(failures: 50, retryAfter: nil, jitter: 0.999999) <= .seconds(60))
    }

    @Test func jitterSpreadsBetweenHalfAndAll() {
        #expect(policy.delay(failures: 3, retryAfter: nil, jitter: 0) == .seconds(2))
        #expect(policy.delay(failures: 3, retryAfter: nil, jitter: 0.5) == .seconds(3))
    }

    @Test func retryAfterIsHonoured() {
        #expect(policy.delay(failures: 1, retryAfter: .seconds(30), jitter: 0) == .seconds(30))
        #expect(
            policy.delay(failures: 1, retryAfter: .seconds(99_999), jitter: 0) == .seconds(3600), "a silly Retry-After is capped")
    }
}

@Suite struct DrainerTests {
    @Test func anOutageEndsWithEveryEntryDeliveredExactlyOnce() async throws {
        let outbox = try OutboxTests.Place().open()
        let central = try InProcessCentral.shipped()
        await central.setReachable(false)
        for n in 1...20 {
            try await outbox.enqueue(n % 4 == 0 ? OutboxTests.staff : OutboxTests.extract, delivery: OutboxTests.delivery(n))
        }
        let drainer = Drainer(
            outbox: outbox, central: central, policy: RetryPolicy(base: .milliseconds(1), cap: .milliseconds(2)),
            logger: Logger(label: "test"))
        #expect(await drainer.drainOnce() == 2)
        #expect(try await outbox.backlog() == 20)
        #expect(try await outbox.list().first?.lastError == "the in-process central is switched offline")
        await central.setReachable(true)
        for _ in 0..<100 where try await outbox.backlog() > 0 {
            await drainer.drainOnce(now: Date().addingTimeInterval(1))
        }
        #expect(try await outbox.backlog() == 0)
        #expect(await central.caseCount == 15)
        #expect(await central.staffCalls.count == 5)
        #expect(await drainer.drainOnce(now: Date().addingTimeInterval(1)) == 0, "nothing is sent twice")
        #expect(await central.caseCount == 15)
    }

    /// A central that refuses one reference for good (as kiosk-central does with 409/422) and answers everything else.
    struct RefusingCentral: CentralService {
        let refused: String

        func send(_ request: ServiceRequest, delivery: Delivery) async -> CentralAnswer {
            delivery.reference == refused ? .refused("Invalid extract request") : .answered(ServiceResult(.queued))
        }
    }

    @Test func aRefusalIsADeadLetterAndTheLineMovesOn() async throws {
        let outbox = try OutboxTests.Place().open()
        let first = try await outbox.enqueue(OutboxTests.extract, delivery: OutboxTests.delivery(1))
        let second = try await outbox.enqueue(OutboxTests.extract, delivery: OutboxTests.delivery(2))
        let drainer = Drainer(outbox: outbox, central: RefusingCentral(refused: "TLB-1"), logger: Logger(label: "test"))
        #expect(await drainer.drainOnce() == 1)
        #expect(try await outbox.due().map(\.id) == [second], "the dead letter no longer holds up its kind")
        #expect(await drainer.drainOnce() == 1)
        let states = try await outbox.list().map { ($0.id, $0.state, $0.lastError) }
        #expect(states.map(\.0) == [first, second])
        #expect(states.map(\.1) == ["dead", "delivered"])
        #expect(states.first?.2 == "Invalid extract request")
        #expect(try await outbox.backlog() == 0)
    }
}

@Suite struct FullDiskTests {
    /// `max_page_count` caps the file where it stands: the next insert fails with SQLITE_FULL, as on a full disk.
    @Test func aFullDiskIsAnErrorThatSaysSoAndStoresNothing() async throws {
        let outbox = try OutboxTests.Place().open()
        try await outbox.enqueue(OutboxTests.staff, delivery: OutboxTests.delivery(1))
        try await outbox.pool.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 1
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
        }
        var failure: OutboxError?
        for n in 2...200 where failure == nil {
            do {
                try await outbox.enqueue(OutboxTests.extract, delivery: OutboxTests.delivery(n))
            } catch {
                failure = error
            }
        }
        let error = try #require(failure)
        #expect(error.full)
        #expect(error.description.hasPrefix("cannot store the request: SQLite"))
        #expect(!error.description.contains("123456782"))
        #expect(try await outbox.backlog() >= 1, "what was stored before stays")
    }
}
