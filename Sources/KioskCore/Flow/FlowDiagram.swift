/// A flow as a service blueprint in Graphviz's DOT language: the resident's steps, the kiosk's actions (chip, payment,
/// sending, printing) and the back office's work, each in its own lane, with every outcome's path labelled. Pure, so it
/// is tested like a screen; `kioskctl flows diagram` hands it to Graphviz to lay out.
public enum FlowDiagram {
    /// The lanes, top to bottom.
    enum Lane: String, CaseIterable {
        case resident, kiosk, backOffice

        var title: LocalizedText {
            switch self {
            case .resident: LocalizedText(nl: "Inwoner", en: "Resident")
            case .kiosk: LocalizedText(nl: "Zuil", en: "Kiosk")
            case .backOffice: LocalizedText(nl: "Gemeente", en: "Municipality")
            }
        }
    }

    public static func dot(_ flow: Flow, language: Language = .nl) -> String {
        var lines = [
            "digraph \(quoted(flow.id)) {",
            "  graph [rankdir=LR, fontname=\"DejaVu Sans\", label=\(quoted(flow.title[language])), labelloc=t, newrank=true];",
            "  node [fontname=\"DejaVu Sans\", fontsize=11, shape=box, style=\"rounded,filled\", fillcolor=white];",
            "  edge [fontname=\"DejaVu Sans\", fontsize=9];",
        ]
        for lane in Lane.allCases {
            let nodes =
                flow.steps.filter { Self.lane($0) == lane }.map { "    \(node($0, flow, language))" }
                + (lane == .backOffice ? backOfficeNodes(flow, language) : [])
                + (lane == .resident && needsCounter(flow)
                    ? ["    counter [label=\(quoted(counterText[language])), shape=octagon];"] : [])
            guard !nodes.isEmpty else { continue }
            lines.append("  subgraph \(quoted("cluster_" + lane.rawValue)) {")
            lines.append("    label=\(quoted(lane.title[language])); style=filled; fillcolor=\"\(fill(lane))\"; color=grey;")
            lines += nodes
            lines.append("  }")
        }
        for step in flow.steps { lines += edges(step, language) }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    static func lane(_ step: Step) -> Lane {
        switch step.kind {
        case .info, .choice, .input, .confirm, .done: .resident
        case .identify, .pay, .print, .submit: .kiosk
        }
    }

    static func fill(_ lane: Lane) -> String {
        switch lane {
        case .resident: "#eef3fb"
        case .kiosk: "#f4f4f4"
        case .backOffice: "#fbf3e6"
        }
    }

    static func node(_ step: Step, _ flow: Flow, _ language: Language) -> String {
        let what: String
        switch step.kind {
        case .info: what = "info"
        case .choice(let choice): what = choice.options.map { $0.label[language] }.joined(separator: " / ")
        case .input(let input): what = input.label[language]
        case .identify: what = language == .nl ? "document scannen, chip lezen" : "scan the document, read the chip"
        case .confirm: what = language == .nl ? "bevestigen" : "confirm"
        case .submit(let submit): what = (language == .nl ? "versturen: " : "send: ") + submit.service.rawValue
        case .print(let print): what = (language == .nl ? "afdrukken: " : "print: ") + print.document.rawValue
        case .pay: what = language == .nl ? "betalen op de PIN-automaat" : "pay on the PIN terminal"
        case .done: what = language == .nl ? "klaar" : "done"
        }
        let shape = step.id == flow.start.id ? ", penwidth=2" : ""
        let done = if case .done = step.kind { ", shape=doubleoctagon" } else { "" }
        return "\(quoted(step.id)) [label=\(quoted("\(step.id)\n\(what)"))\(shape)\(done)];"
    }

    /// What the central does for each service the flow calls, as the back office's nodes.
    static func backOfficeNodes(_ flow: Flow, _ language: Language) -> [String] {
        flow.services.sorted { $0.rawValue < $1.rawValue }.map { service in
            "    \(quoted("service_" + service.rawValue)) [label=\(quoted(work(service)[language])), shape=component];"
        }
    }

    static func work(_ service: ServiceKind) -> LocalizedText {
        switch service {
        case .extractRequest:
            LocalizedText(
                nl: "BRP raadplegen, zaak met document,\nrol en status; klantcontact",
                en: "query the BRP; a zaak with its document,\nrole and status; a customer contact")
        case .lookupPickup:
            LocalizedText(nl: "afhaalzaak opzoeken op code", en: "look the pickup case up by code")
        case .collectPickup:
            LocalizedText(
                nl: "houder controleren, status uitgereikt;\nklantcontact",
                en: "check the holder, status collected;\na customer contact")
        case .callStaff:
            LocalizedText(
                nl: "medewerker oproepen (flow en stap);\nklantcontact",
                en: "call a staff member (flow and step);\na customer contact")
        case .faultReport:
            LocalizedText(nl: "storing melden", en: "report a fault")
        }
    }

    static func edges(_ step: Step, _ language: Language) -> [String] {
        let from = quoted(step.id)
        func edge(_ to: String, _ label: String? = nil, _ style: String? = nil) -> String {
            var attributes: [String] = []
            if let label { attributes.append("label=\(quoted(label))") }
            if let style { attributes.append(style) }
            return "  \(from) -> \(quoted(to))" + (attributes.isEmpty ? ";" : " [\(attributes.joined(separator: ", "))];")
        }
        switch step.kind {
        case .info(let next): return [edge(next)]
        case .choice(let choice): return choice.options.map { edge($0.next, $0.id) }
        case .input(let input): return [edge(input.next)]
        case .confirm(let confirm): return [edge(confirm.next)]
        case .identify(let identify):
            return [edge(identify.next), edge("counter", language == .nl ? "geweigerd" : "refused", "style=dashed")]
        case .submit(let submit):
            let service = quoted("service_" + submit.service.rawValue)
            return [
                "  \(from) -> \(service) [style=dashed, dir=both];"
            ] + submit.outcomes.sorted { $0.key.rawValue < $1.key.rawValue }.map { edge($0.value, $0.key.rawValue) }
        case .print(let print): return [edge(print.next)]
        case .pay(let pay):
            return pay.outcomes.sorted { $0.key.rawValue < $1.key.rawValue }.map { edge($0.value, $0.key.rawValue) }
        case .done: return []
        }
    }

    static func needsCounter(_ flow: Flow) -> Bool {
        flow.steps.contains { if case .identify = $0.kind { true } else { false } }
    }

    static let counterText = LocalizedText(nl: "naar de balie", en: "to the counter")

    /// A DOT string: in double quotes, with backslashes and quotes escaped and line breaks as `\n`.
    static func quoted(_ text: String) -> String {
        var escaped = ""
        for c in text {
            switch c {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            case "\r": continue
            default: escaped.append(c)
            }
        }
        return "\"" + escaped + "\""
    }
}
