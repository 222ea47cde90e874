/// Reads flow definitions (`Flows/*.yaml`) and checks them, reporting every problem as `file:line:column: reason`.
///
/// The same checks run in `kioskctl flows check` and when kioskd starts, so an operator sees a broken flow before residents do.
/// The loader is pure: it takes file names and texts; the caller reads the folder.
///
/// ```swift
/// let result = FlowLoader.load([("Flows/pickup.yaml", text)])
/// for issue in result.issues { print(issue) }   // Flows/pickup.yaml:12:11: step 'lookup' leads to 'identfy', which does not exist
/// ```
public enum FlowLoader {
    /// The flows that loaded cleanly, and every problem found. Callers must refuse to serve when `issues` is not empty.
    public struct Result: Sendable {
        public var flows: [Flow]
        public var issues: [SourceIssue]
    }

    static let flowKeys = ["id", "title", "order", "requires", "inactivity", "steps"]
    static let commonStepKeys = ["id", "kind", "title", "text", "clears"]
    static let stepKeys: [String: [String]] = [
        "info": ["next"],
        "choice": ["store", "options", "next"],
        "input": ["store", "validator", "label", "next"],
        "identify": ["next", "acceptExpiredMonths", "requirePassiveAuthentication", "requireAntiClone", "refusals"],
        "confirm": ["summary", "button", "next"],
        "submit": ["service", "outcomes"],
        "print": ["document", "next"],
        "pay": ["outcomes"],
        "done": [],
    ]

    /// Loads several files, and checks that flow ids are unique across them.
    public static func load(_ files: [(name: String, text: String)]) -> Result {
        var flows: [Flow] = []
        var issues: [SourceIssue] = []
        for file in files.sorted(by: { $0.name < $1.name }) {
            var fileIssues: [SourceIssue] = []
            let flow = parse(file.text, file: file.name, issues: &fileIssues)
            issues += fileIssues
            guard let flow, fileIssues.isEmpty else { continue }
            if let earlier = flows.first(where: { $0.id == flow.id }) {
                issues.append(SourceIssue(flow.location, "flow id '\(flow.id)' is already used in \(earlier.location.file)"))
                continue
            }
            flows.append(flow)
        }
        return Result(flows: flows.sorted { ($0.order, $0.id) < ($1.order, $1.id) }, issues: issues)
    }

    /// Parses and checks one flow file.
    public static func parse(_ text: String, file: String, issues: inout [SourceIssue]) -> Flow? {
        guard let top = YAMLMap.document(text, file: file, issues: &issues) else { return nil }
        top.rejectUnknownKeys(flowKeys, in: "a flow", issues: &issues)
        let id = top.string("id", in: "the flow", issues: &issues)
        let title = top.text("title", in: "the flow", issues: &issues)
        let order = top.int("order", in: "the flow", range: 0...999, issues: &issues) ?? 100
        var requires = Set<DeviceClass>()
        for (name, at) in top.strings("requires", required: false, in: "the flow", issues: &issues) ?? [] {
            if let deviceClass = DeviceClass(rawValue: name) {
                requires.insert(deviceClass)
            } else {
                let known = DeviceClass.allCases.map(\.rawValue).joined(separator: ", ")
                issues.append(SourceIssue(at, "unknown device class '\(name)' (expected one of: \(known))"))
            }
        }
        var inactivity = Inactivity.standard
        if let map = top.map("inactivity", required: false, in: "the flow", issues: &issues) {
            map.rejectUnknownKeys(["warnAfter", "resetAfter"], in: "inactivity", issues: &issues)
            inactivity.warnAfter =
                map.int("warnAfter", in: "inactivity", range: 5...3600, issues: &issues) ?? inactivity.warnAfter
            inactivity.resetAfter =
                map.int("resetAfter", in: "inactivity", range: 5...3600, issues: &issues) ?? inactivity.resetAfter
        }
        let stepMaps = top.maps("steps", in: "the flow", issues: &issues)
        let steps = (stepMaps ?? []).compactMap { parseStep($0, issues: &issues) }
        if stepMaps?.isEmpty == true {
            issues.append(SourceIssue(top.location(of: "steps"), "a flow needs at least one step"))
        }
        guard let id, let title, !steps.isEmpty else { return nil }
        let flow = Flow(
            id: id, title: title, order: order, requires: requires, inactivity: inactivity, steps: steps, location: top.location)
        issues += FlowValidator.check(flow)
        return flow
    }

    // MARK: - Steps

    static func parseStep(_ map: YAMLMap, issues: inout [SourceIssue]) -> Step? {
        let id = map.string("id", in: "a step", issues: &issues)
        let what = id.map { "step '\($0)'" } ?? "a step"
        guard let kind = map.string("kind", in: what, issues: &issues) else { return nil }
        guard let extra = stepKeys[kind] else {
            let known = stepKeys.keys.sorted().joined(separator: ", ")
            issues.append(SourceIssue(map.location(of: "kind"), "unknown step kind '\(kind)' (expected one of: \(known))"))
            return nil
        }
        map.rejectUnknownKeys(commonStepKeys + extra, in: "a \(kind) step", issues: &issues)
        let title = map.text("title", required: false, in: what, issues: &issues)
        let text = map.text("text", in: what, issues: &issues)
        let next = extra.contains("next") && kind != "choice" ? map.string("next", in: what, issues: &issues) : nil

        let body: Step.Kind?
        switch kind {
        case "info": body = next.map { .info(next: $0) }
        case "identify": body = parseIdentify(map, next: next, what: what, issues: &issues).map { .identify($0) }
        case "done": body = .done
        case "choice": body = parseChoice(map, what: what, issues: &issues).map { .choice($0) }
        case "input":
            let store = map.string("store", in: what, issues: &issues)
            let validator = map.word("validator", as: Validator.self, in: what, issues: &issues)
            let label = map.text("label", in: what, issues: &issues)
            if let store, let validator, let label, let next {
                body = .input(InputStep(store: store, validator: validator, label: label, next: next))
            } else {
                body = nil
            }
        case "confirm":
            var fields: [SummaryField] = []
            for (name, at) in map.strings("summary", in: what, issues: &issues) ?? [] {
                if let field = SummaryField(rawValue: name) {
                    fields.append(field)
                } else {
                    let known = SummaryField.allCases.map(\.rawValue).joined(separator: ", ")
                    issues.append(SourceIssue(at, "unknown summary field '\(name)' (expected one of: \(known))"))
                }
            }
            let button = map.text("button", required: false, in: what, issues: &issues)
            body = next.map { .confirm(ConfirmStep(summary: fields, button: button, next: $0)) }
        case "submit": body = parseSubmit(map, what: what, issues: &issues).map { .submit($0) }
        case "pay": body = parsePay(map, what: what, issues: &issues).map { .pay($0) }
        case "print":
            let document = map.word("document", as: PrintDocument.self, in: what, issues: &issues)
            body = document.flatMap { d in next.map { .print(PrintStep(document: d, next: $0)) } }
        default: body = nil
        }
        let clears = (map.strings("clears", required: false, in: what, issues: &issues) ?? []).map(\.0)
        guard let id, let text, let body else { return nil }
        var step = Step(id: id, kind: body, title: title, text: text, location: map.location)
        step.clears = clears
        return step
    }

    static func parseIdentify(_ map: YAMLMap, next: String?, what: String, issues: inout [SourceIssue]) -> IdentifyStep? {
        let months = map.int("acceptExpiredMonths", in: what, range: 0...120, issues: &issues) ?? 0
        var refusals: [Refusal: LocalizedText] = [:]
        if let texts = map.map("refusals", required: false, in: what, issues: &issues) {
            texts.rejectUnknownKeys(Refusal.document.map(\.rawValue), in: "'refusals'", issues: &issues)
            for refusal in Refusal.document {
                refusals[refusal] = texts.text(refusal.rawValue, required: false, in: "'refusals'", issues: &issues)
            }
        }
        let passive = map.bool("requirePassiveAuthentication", in: what, issues: &issues) ?? true
        let antiClone = map.bool("requireAntiClone", in: what, issues: &issues) ?? true
        return next.map {
            IdentifyStep(
                next: $0, acceptExpiredMonths: months, requirePassiveAuthentication: passive, requireAntiClone: antiClone,
                refusals: refusals)
        }
    }

    static func parseChoice(_ map: YAMLMap, what: String, issues: inout [SourceIssue]) -> ChoiceStep? {
        let store = map.string("store", in: what, issues: &issues)
        let fallback = map.string("next", required: false, in: what, issues: &issues)
        var options: [ChoiceStep.Option] = []
        for option in map.maps("options", in: what, issues: &issues) ?? [] {
            option.rejectUnknownKeys(["id", "label", "fee", "next"], in: "an option", issues: &issues)
            let id = option.string("id", in: "an option", issues: &issues)
            let label = option.text("label", in: "an option", issues: &issues)
            var fee: Int?
            if let text = option.string("fee", required: false, in: "an option", issues: &issues) {
                fee = euroCents(text)
                if fee == nil {
                    issues.append(
                        SourceIssue(option.location(of: "fee"), "fee '\(text)' must be euros with two decimals, like 14.40"))
                }
            }
            let next = option.string("next", required: fallback == nil, in: "option '\(id ?? "?")'", issues: &issues) ?? fallback
            if let id, let label, let next {
                options.append(ChoiceStep.Option(id: id, label: label, feeCents: fee, next: next, location: option.location))
            }
        }
        if options.isEmpty, map.has("options") {
            issues.append(SourceIssue(map.location(of: "options"), "a choice needs at least one option"))
        }
        guard let store, !options.isEmpty else { return nil }
        return ChoiceStep(store: store, options: options)
    }

    static func parseSubmit(_ map: YAMLMap, what: String, issues: inout [SourceIssue]) -> SubmitStep? {
        guard let service = map.word("service", as: ServiceKind.self, in: what, issues: &issues),
            let outcomesMap = map.map("outcomes", in: what, issues: &issues)
        else { return nil }
        guard service.isFlowService else {
            issues.append(SourceIssue(map.location(of: "service"), "service '\(service.rawValue)' is the daemon's, not a flow's"))
            return nil
        }
        let names = service.outcomes.map(\.rawValue).sorted()
        outcomesMap.rejectUnknownKeys(names, in: "the outcomes of \(service.rawValue)", issues: &issues)
        var outcomes: [ServiceOutcome: String] = [:]
        for outcome in service.outcomes.sorted(by: { $0.rawValue < $1.rawValue }) {
            if let target = outcomesMap.string(outcome.rawValue, in: "the outcomes of \(service.rawValue)", issues: &issues) {
                outcomes[outcome] = target
            }
        }
        guard outcomes.count == service.outcomes.count else { return nil }
        return SubmitStep(service: service, outcomes: outcomes)
    }

    static func parsePay(_ map: YAMLMap, what: String, issues: inout [SourceIssue]) -> PayStep? {
        guard let outcomesMap = map.map("outcomes", in: what, issues: &issues) else { return nil }
        let names = PaymentOutcome.allCases.map(\.rawValue)
        outcomesMap.rejectUnknownKeys(names, in: "the outcomes of a payment", issues: &issues)
        var outcomes: [PaymentOutcome: String] = [:]
        for outcome in PaymentOutcome.allCases {
            if let target = outcomesMap.string(outcome.rawValue, in: "the outcomes of a payment", issues: &issues) {
                outcomes[outcome] = target
            }
        }
        guard outcomes.count == PaymentOutcome.allCases.count else { return nil }
        return PayStep(outcomes: outcomes)
    }

    /// "14.40" → 1440. Exactly two decimals, so that a typo like "1440" is not read as €1440.
    static func euroCents(_ text: String) -> Int? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count == 2, let euros = Int(parts[0]), let cents = Int(parts[1]), euros >= 0,
            euros < 10_000,
            cents >= 0
        else { return nil }
        return euros * 100 + cents
    }
}
