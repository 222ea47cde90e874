import KioskTesting
import Testing

@testable import KioskCore

/// The funnel's marks, from a resident's real walk through the shipped flows.
@Suite struct FunnelTallyTests {
    /// Runs the kiosk like the engine does, tallying every event.
    struct Walk {
        var kiosk: Kiosk
        var tally = FunnelTally()
        var counts: [FunnelTally.Count] = []

        init() throws { kiosk = try Kiosk() }

        mutating func send(_ event: KioskEvent) {
            let before = kiosk.state.place
            let effects = kiosk.send(event)
            counts += tally.observe(event, before: before, after: kiosk.state.place, effects: effects)
        }

        func marks(_ mark: FunnelTally.Mark) -> [String] {
            counts.filter { $0.mark == mark }.map { "\($0.flow)/\($0.step)" }
        }
    }

    @Test func aCodeTriedTwiceThenBackThenStaff() throws {
        var walk = try Walk()
        walk.send(.action(.startFlow("pickup")))
        walk.send(.action(.next))
        for _ in 0..<2 {
            walk.send(.scanned("K7QM3XPA"))
            walk.send(.serviceResult(request: try #require(walk.kiosk.request), ServiceResult(.notFound)))
            walk.send(.action(.next))
        }
        walk.send(.action(.back))
        walk.send(.action(.callStaff))
        // Each step once per session, however often it was reached.
        #expect(
            walk.marks(.reached) == ["pickup/welcome", "pickup/code", "pickup/lookup", "pickup/not-found", "call-staff/call"])
        #expect(walk.marks(.back) == ["pickup/code"])
        #expect(walk.marks(.calledStaff) == ["pickup/welcome"])
        #expect(walk.marks(.finished).isEmpty)
    }

    @Test func aFinishedExtractAndAStop() throws {
        var walk = try Walk()
        walk.send(.action(.callStaff))
        walk.send(.serviceResult(request: try #require(walk.kiosk.request), ServiceResult(.called)))
        walk.send(.action(.finish))
        #expect(walk.marks(.finished) == ["call-staff/coming"])
        walk.send(.action(.startFlow("pickup")))
        walk.send(.action(.stop))
        #expect(walk.marks(.stopped) == ["pickup/welcome"])
        // A new session reaches its steps again.
        #expect(walk.marks(.reached).filter { $0 == "pickup/welcome" }.count == 1)
        walk.send(.action(.startFlow("pickup")))
        #expect(walk.marks(.reached).filter { $0 == "pickup/welcome" }.count == 2)
    }
}
