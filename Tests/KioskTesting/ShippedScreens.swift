public import KioskCore

/// Every screen of the shipped flows, as the runner makes it, for the tests that draw, check and speak them: the home
/// screen, out of order, every step, and the phases a step can be in (paying, declined, refused, typing, answered).
public enum ShippedScreens {
    public static func runner() throws -> FlowRunner {
        FlowRunner(flows: try ShippedFlows.flows())
    }

    /// Every device well, so that the start screen offers the flows rather than "out of order".
    public static func healthy(_ language: Language) -> KioskState {
        KioskState(
            language: language,
            devices: [
                .cardReader: DeviceStatus(state: .online, media: .notPresent),
                .printer: DeviceStatus(state: .online, paper: .full),
                .scanner: .online, .display: .online, .paymentTerminal: .online,
            ])
    }

    /// The home screen and every step, with the runner's own screen for each.
    public static func all(_ language: Language) throws -> [(String, Screen)] {
        let runner = try runner()
        var state = healthy(language)
        var screens = [("home", runner.screen(for: state))]
        // The printer out of paper and the reader gone: no resident flow can be served, only staff can be called.
        var broken = state
        broken.devices[.printer] = DeviceStatus(state: .online, paper: .out)
        broken.devices[.cardReader] = DeviceStatus(state: .offline)
        screens.append(("home-out-of-order", runner.screen(for: broken)))
        for flow in runner.flows {
            for step in flow.steps {
                state.place = .step(flow: flow.id, step: step.id)
                screens.append(("\(flow.id)/\(step.id)", runner.screen(for: state)))
                if case .done = step.kind {
                    // With what the central answered: the numbers to remember, boxed.
                    var answered = state
                    answered.session.results = [
                        "caseId": "Z-2026001", "reference": "TLB-QR7X2M4P", "counter": "3", "ticket": "A001",
                    ]
                    let screen = runner.screen(for: answered)
                    if !screen.keyFacts.isEmpty { screens.append(("\(flow.id)/\(step.id)-answered", screen)) }
                }
                if case .pay = step.kind {
                    // A payment under way with the terminal's prompt, one declined, and one nobody can tell.
                    var paying = state
                    paying.phase = .waiting(request: 1)
                    paying.session.paymentPrompt = ["Voer uw PIN in", "Enter your PIN"]
                    paying.session.values["product"] = "standard"
                    screens.append(("\(flow.id)/\(step.id)-paying", runner.screen(for: paying)))
                    var declined = paying
                    declined.phase = .paymentFailed(.declined)
                    declined.session.paymentAttempts = 1
                    declined.notice = .error(UIText.paymentFailed(.declined, canRetry: true))
                    screens.append(("\(flow.id)/\(step.id)-declined", runner.screen(for: declined)))
                    var unknown = paying
                    unknown.phase = .unconfirmed
                    unknown.notice = .error(UIText.paymentUnconfirmed(reference: "TLB-QR7X2M4P"))
                    screens.append(("\(flow.id)/\(step.id)-unknown", runner.screen(for: unknown)))
                }
                // Where a step can send the resident to the counter, that screen too.
                guard case .identify = step.kind else { continue }
                // Typing the document's access key, or its CAN: each field with its own keyboard.
                if flow.id == "extract-request" {
                    for (name, phase) in [
                        ("document-number", IdentifyPhase.typing(.documentNumber, PartialKey())),
                        ("birth-date", .typing(.birthDate, PartialKey())),
                    ] {
                        var typing = state
                        typing.phase = .identify(phase)
                        screens.append(("\(flow.id)/\(step.id)-\(name)", runner.screen(for: typing)))
                    }
                }
                for refusal in Refusal.allCases {
                    var refused = state
                    refused.phase = .refused(refusal)
                    screens.append(("\(flow.id)/\(step.id)-\(refusal.rawValue)", runner.screen(for: refused)))
                }
            }
        }
        return screens
    }
}
