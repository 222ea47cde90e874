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
        if !flow.steps.contains(where: { if case .done = $0.kind { true } else { false } }) {
            issues.append(SourceIssue(flow.location, "flow '\(flow.id)' has no done step, so it can never finish"))
        }
        return issues
    }
}
