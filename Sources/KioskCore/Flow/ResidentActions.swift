/// How many times a resident must act (tap, type a field, show a document, pay) to get through a flow on its shortest
/// successful path, computed from the flow: a number the city can hold each flow to.
public enum ResidentActions {
    /// - parameters:
    ///   - chipGivesBSN: the document is Dutch, so its chip answers the BSN step and the resident types nothing there.
    /// - returns: nil when no done step can be reached by success outcomes.
    public static func shortest(_ flow: Flow, chipGivesBSN: Bool) -> Int? {
        // A 0-1 breadth-first search: a step costs one action when the resident must act on it, none when the kiosk does.
        var best: [String: Int] = [flow.start.id: cost(flow.start, chipGivesBSN)]
        var queue: [(id: String, actions: Int)] = [(flow.start.id, cost(flow.start, chipGivesBSN))]
        var found: Int?
        while !queue.isEmpty {
            queue.sort { $0.actions < $1.actions }
            let (id, actions) = queue.removeFirst()
            guard let step = flow.step(id), actions <= best[id] ?? Int.max else { continue }
            if case .done = step.kind {
                found = min(found ?? Int.max, actions)
                continue
            }
            for next in successes(step) {
                guard let target = flow.step(next) else { continue }
                let total = actions + cost(target, chipGivesBSN)
                if total < best[next] ?? Int.max {
                    best[next] = total
                    queue.append((next, total))
                }
            }
        }
        return found
    }

    /// One action for a step the resident acts on; the kiosk's own steps and the done screen cost none.
    static func cost(_ step: Step, _ chipGivesBSN: Bool) -> Int {
        switch step.kind {
        case .info, .choice, .identify, .confirm, .pay: 1
        case .input(let input): input.validator == .bsn && chipGivesBSN ? 0 : 1
        case .submit, .print, .done: 0
        }
    }

    /// Where a step leads when all goes well.
    static func successes(_ step: Step) -> [String] {
        switch step.kind {
        case .submit(let submit):
            submit.outcomes.filter { [.accepted, .queued, .found, .collected, .called].contains($0.key) }.map(\.value)
        case .pay(let pay): pay.outcomes[.approved].map { [$0] } ?? []
        default: step.transitions.map(\.target)
        }
    }
}
