/// The graph checks on a parsed flow: unique step ids, transitions that land on a step, every step reachable from the first.
///
/// A flow that passes cannot strand a resident on a screen with no way on, other than its `done` steps.
enum FlowValidator {
    static func check(_ flow: Flow) -> [SourceIssue] {
        var issues: [SourceIssue] = []
        var seen: [String: FileLocation] = [:]
        for step in flow.steps {
            if let first = seen[step.id] {
                issues.append(SourceIssue(step.location, "step id '\(step.id)' is already used at line \(first.line)"))
            } else {
                seen[step.id] = step.location
            }
        }
        for step in flow.steps {
            for (target, location) in step.transitions where seen[target] == nil {
                issues.append(SourceIssue(location, "step '\(step.id)' leads to '\(target)', which does not exist in this flow"))
            }
        }
        var reached: Set<String> = [flow.start.id]
        var queue = [flow.start]
        while let step = queue.popLast() {
            for (target, _) in step.transitions where !reached.contains(target) {
                reached.insert(target)
                if let next = flow.step(target) { queue.append(next) }
            }
        }
        for step in flow.steps where !reached.contains(step.id) {
            issues.append(
                SourceIssue(step.location, "step '\(step.id)' cannot be reached from the first step '\(flow.start.id)'"))
        }
        issues += checkPayment(flow)
        let stores = Set(
            flow.steps.compactMap { step -> String? in
                switch step.kind {
                case .input(let input): input.store
                case .choice(let choice): choice.store
                default: nil
                }
            })
        for step in flow.steps {
            for key in step.clears where !stores.contains(key) {
                issues.append(
                    SourceIssue(step.location, "step '\(step.id)' clears '\(key)', which no step of this flow asks for"))
            }
        }
        if !flow.steps.contains(where: { if case .done = $0.kind { true } else { false } }) {
            issues.append(SourceIssue(flow.location, "flow '\(flow.id)' has no done step, so it can never finish"))
        }
        return issues
    }

    /// A pay step needs the terminal, something to charge, and a request to carry on as.
    static func checkPayment(_ flow: Flow) -> [SourceIssue] {
        var issues: [SourceIssue] = []
        for step in flow.steps {
            guard case .pay(let pay) = step.kind else { continue }
            if !flow.requires.contains(.paymentTerminal) {
                issues.append(
                    SourceIssue(step.location, "step '\(step.id)' takes a payment, so the flow must require paymentTerminal"))
            }
            let fees = flow.steps.contains { other in
                guard case .choice(let choice) = other.kind, choice.store == "product" else { return false }
                return choice.options.contains { ($0.feeCents ?? 0) > 0 }
            }
            if !fees {
                issues.append(
                    SourceIssue(step.location, "step '\(step.id)' takes a payment, but no product option has a fee"))
            }
            if let target = pay.outcomes[.approved], let next = flow.step(target) {
                if case .submit = next.kind {
                } else {
                    issues.append(
                        SourceIssue(
                            step.location,
                            "step '\(step.id)': an approved payment must lead to a submit step, not '\(target)' (\(next.kindName))"
                        ))
                }
            }
        }
        return issues
    }
}
