/// `kioskctl flows funnel`: per flow and step, how many sessions reached it, and how many finished there, went back from
/// it, timed out on it, called staff from it or stopped there (the marks of `FunnelTally`).
public struct FunnelReport: Codable, Sendable, Equatable {
    public struct Step: Codable, Sendable, Equatable {
        public var flow: String
        public var step: String
        /// Mark (reached, finished, back, timedOut, calledStaff, stopped) → count.
        public var counts: [String: Int] = [:]

        public init(flow: String, step: String, counts: [String: Int] = [:]) {
            self.flow = flow
            self.step = step
            self.counts = counts
        }
    }

    /// The first day counted (YYYY-MM-DD).
    public var since: String
    public var steps: [Step]

    public init(since: String, steps: [Step]) {
        self.since = since
        self.steps = steps
    }
}
