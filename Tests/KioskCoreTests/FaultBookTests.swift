import Testing

@testable import KioskCore

/// The fault rules without any I/O: hysteresis, flapping, acknowledge, resolve by hand, out of service.
@Suite struct FaultBookTests {
    static let jam = Fault(device: "p", code: "paper-jam", severity: .warning, action: .clear, summary: "jam")

    func kinds(_ changes: [FaultBook.Change]) -> [String] {
        changes.map {
            switch $0 {
            case .raised(let r): "raised #\(r.id)"
            case .resolved(let r): "resolved #\(r.id)"
            case .updated(let r): "updated #\(r.id)"
            }
        }
    }

    @Test func aResolveWaitsOutTheHysteresisAndAComebackKeepsTheSameFault() {
        var book = FaultBook(settings: .init(clearAfter: 30))
        #expect(kinds(book.observe(Self.jam, at: 0)) == ["raised #1"])
        #expect(book.observe(Self.jam, at: 5).isEmpty, "seen again within the minute: nothing to store or tell")
        #expect(kinds(book.cleared(Self.jam.key, at: 10)) == ["updated #1"])
        #expect(book.tick(at: 39).isEmpty)
        #expect(kinds(book.observe(Self.jam, at: 20)) == ["updated #1"], "back within 30 s: the same fault, counted")
        #expect(book.open(Self.jam.key)?.count == 2)
        _ = book.cleared(Self.jam.key, at: 50)
        #expect(book.tick(at: 79).isEmpty)
        #expect(kinds(book.tick(at: 80)) == ["resolved #1"])
        #expect(book.open(Self.jam.key) == nil)
        #expect(kinds(book.observe(Self.jam, at: 2000)) == ["raised #2"], "long after: a new fault")
    }

    @Test func aFlappingFaultIsHeldOpenForTheWholeWindow() {
        var book = FaultBook(settings: .init(clearAfter: 0, flapLimit: 2, flapWindow: 600))
        var raises = 0
        var t = 0.0
        for _ in 0..<10 {
            raises += book.observe(Self.jam, at: t).filter { if case .raised = $0 { true } else { false } }.count
            _ = book.cleared(Self.jam.key, at: t + 1)
            t += 60
        }
        #expect(raises == 3, "once, then twice more until it counts as flapping; then it stays open")
        #expect(book.open(Self.jam.key) != nil)
        #expect(kinds(book.tick(at: t + 600)).count == 1, "quiet for the window: resolved at last")
    }

    @Test func acknowledgeAndResolveByHandAreRefusedWhenTheyMakeNoSense() {
        var book = FaultBook()
        _ = book.observe(Self.jam, at: 0)
        #expect(book.acknowledge(1, at: 20)?.record.acknowledgedAt == 20)
        #expect(book.acknowledge(1, at: 21) == nil)
        #expect(book.acknowledge(99, at: 21) == nil)
        #expect(book.resolveByHand(1, at: 5)?.record.resolvedBy == "technician")
        #expect(book.resolveByHand(1, at: 6) == nil)
    }

    @Test func outOfServiceSilencesTheDeviceAndRestoredRecordsCarryOn() {
        var book = FaultBook()
        _ = book.observe(Self.jam, at: 0)
        #expect(kinds(book.takeOutOfService("p", at: 1)) == ["resolved #1"])
        #expect(book.observe(Self.jam, at: 2).isEmpty)
        book.returnToService("p")
        #expect(kinds(book.observe(Self.jam, at: 3)) == ["raised #2"])

        let restored = FaultBook(stored: book.openRecords, lastID: 7)
        var again = restored
        #expect(again.observe(Self.jam, at: 4).isEmpty, "open before the restart: not raised twice")
        let other = Fault(device: "q", code: "offline", severity: .critical, action: .maintenance, summary: "off")
        #expect(kinds(again.observe(other, at: 5)) == ["raised #8"])
    }

    @Test func aConditionMustLastBeforeItIsRaisedButASecurityFaultNeverWaits() {
        var book = FaultBook(settings: .init(raiseAfter: 10, clearAfter: 0))
        #expect(book.observe(Self.jam, at: 0).isEmpty)
        #expect(book.tick(at: 5).isEmpty)
        _ = book.cleared(Self.jam.key, at: 6)
        #expect(book.tick(at: 20).isEmpty, "gone before it lasted 10 s: never raised")
        #expect(book.observe(Self.jam, at: 30).isEmpty)
        let raised = book.tick(at: 41)
        #expect(kinds(raised) == ["raised #1"])
        #expect(raised.first?.record.firstSeen == 30, "first seen when it started, not when it was raised")
        let usb = Fault(device: "usb", code: "unknown-dead-beef", severity: .critical, action: .maintenance, summary: "usb")
        #expect(kinds(book.observe(usb, at: 50)) == ["raised #2"])
    }
}
