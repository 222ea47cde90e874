/// Where residents go in a flow, counted with nothing personal in it: per flow and step, how many sessions reached it, and
/// how many finished there, went back from it, timed out on it, called staff from it or stopped there. Pure: the engine
/// hands it each event with the place before and after and the effects, and stores the marks it returns.
public struct FunnelTally: Sendable {
    public enum Mark: String, Sendable, Codable, CaseIterable {
        case reached, finished, back, timedOut, calledStaff, stopped
    }

    public struct Count: Sendable, Equatable, Hashable {
        public let flow: String
        public let step: String
        public let mark: Mark

        public init(flow: String, step: String, mark: Mark) {
            self.flow = flow
            self.step = step
            self.mark = mark
        }
    }

    /// The steps this session reached, so that a step reached twice (a code tried again) counts the session once.
    var seen: Set<String> = []

    public init() {}

    public mutating func observe(
        _ event: KioskEvent, before: KioskState.Place, after: KioskState.Place, effects: [Effect]
    ) -> [Count] {
        var counts: [Count] = []
        let ended = effects.compactMap { if case .sessionEnded(let end) = $0 { end } else { nil } }
        if case .step(let flow, let step) = before {
            if case .action(.back) = event, after != before, ended.isEmpty {
                counts.append(Count(flow: flow, step: step, mark: .back))
            }
            for end in ended { counts.append(Count(flow: flow, step: step, mark: Self.mark(end))) }
        }
        if !ended.isEmpty { seen = [] }
        if case .step(let flow, let step) = after, after != before, seen.insert(flow + "/" + step).inserted {
            counts.append(Count(flow: flow, step: step, mark: .reached))
        }
        return counts
    }

    static func mark(_ end: SessionEnd) -> Mark {
        switch end {
        case .finished: .finished
        case .stopped: .stopped
        case .timedOut: .timedOut
        case .handedToStaff: .calledStaff
        }
    }
}
