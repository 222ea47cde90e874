/// The pay step: the fee on the terminal, the terminal's prompts on the screen, and what each outcome leads to.
extension FlowRunner {
    /// Longest prompt line from the terminal that the screen shows, and how many lines.
    static let promptLine = 60
    static let promptLines = 4

    /// Asks for the chosen option's fee; a free option goes straight on as if paid.
    func enterPay(_ pay: PayStep, _ flow: Flow, _ state: inout KioskState) -> [Effect] {
        guard let target = pay.outcomes[.approved] else { return [] }
        guard let product = chosenProduct(flow, state), let fee = product.feeCents, fee > 0 else {
            return enter(flow, target, &state)
        }
        guard let next = flow.step(target), case .submit(let submit) = next.kind,
            let request = serviceRequest(submit.service, flow, state)
        else {
            state.phase = .failed
            state.notice = .error(UIText.notTaken)
            return []
        }
        let id = nextRequest(&state)
        state.phase = .waiting(request: id)
        state.session.paymentPrompt = []
        state.session.paymentAttempts += 1
        let order = PaymentOrder(amountCents: fee, product: product.id, language: state.language, request: request)
        return [.pay(request: id, order)]
    }

    func paid(_ request: Int, _ result: PaymentResult, _ state: inout KioskState) -> [Effect] {
        guard state.phase == .waiting(request: request), let (flow, step) = current(state), case .pay(let pay) = step.kind
        else { return [] }
        state.session.paymentPrompt = []
        switch result {
        case .approved(let record, let receipt):
            state.session.payment = record
            state.session.paymentReceipt = receipt
            state.session.results["reference"] = record.reference
            // Paid is paid: back must never lead to the terminal again.
            state.history = []
            guard let target = pay.outcomes[.approved] else { return [] }
            return enter(flow, target, &state)
        case .unknown(let reference):
            state.session.results["reference"] = reference
            state.history = []
            state.phase = .unconfirmed
            state.notice = .error(UIText.paymentUnconfirmed(reference: reference))
            return []
        case .declined, .cancelled, .failed:
            guard let outcome = result.outcome, let target = pay.outcomes[outcome] else { return [] }
            guard target == step.id else { return advance(to: target, &state) }
            state.phase = .paymentFailed(outcome)
            state.notice = .error(UIText.paymentFailed(outcome, canRetry: canRetryPayment(state)))
            return []
        }
    }

    /// The terminal's texts, as far as a screen can take them: printable characters, a few short lines.
    func paymentPrompt(_ request: Int, _ lines: [String], _ state: inout KioskState) -> [Effect] {
        guard state.phase == .waiting(request: request), let (_, step) = current(state), case .pay = step.kind else {
            return []
        }
        state.session.paymentPrompt = lines.prefix(Self.promptLines).map { line in
            String(String.UnicodeScalarView(line.unicodeScalars.filter { $0.properties.isPrintable }).prefix(Self.promptLine))
        }.filter { !$0.isEmpty }
        return []
    }

    func cancelPayment(_ state: inout KioskState) -> [Effect] {
        guard case .waiting(let request) = state.phase, isPaying(state) else { return [] }
        return [.abortPayment(request: request)]
    }

    /// A payment is under way: the session must not end or move until the terminal has answered.
    func isPaying(_ state: KioskState) -> Bool {
        guard case .waiting = state.phase, let (_, step) = current(state), case .pay = step.kind else { return false }
        return true
    }

    func canRetryPayment(_ state: KioskState) -> Bool {
        state.session.paymentAttempts < PayStep.attempts
    }

    func payScreen(_ state: KioskState, _ screen: inout Screen) {
        let language = state.language
        switch state.phase {
        case .waiting:
            screen.busy = true
            screen.body +=
                state.session.paymentPrompt.isEmpty
                ? [UIText.followTerminal[language]] : state.session.paymentPrompt
            screen.buttons = [Screen.Button(action: .cancelPayment, label: UIText.cancelPayment[language])]
        case .paymentFailed:
            if canRetryPayment(state) { screen.buttons = [Screen.Button(action: .retry, label: UIText.retry[language])] }
            if callStaffFlow != nil {
                screen.buttons.append(Screen.Button(action: .callStaff, label: UIText.callStaff[language]))
            }
            screen.buttons.append(Screen.Button(action: .finish, label: UIText.finish[language]))
        default:
            break
        }
    }
}

extension String.UnicodeScalarView {
    init(_ scalars: [Unicode.Scalar]) {
        self.init()
        append(contentsOf: scalars)
    }
}

extension Unicode.Scalar.Properties {
    /// Letters, digits, punctuation, symbols and spaces; no control or format characters (no bidi overrides).
    var isPrintable: Bool {
        switch generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator: false
        default: true
        }
    }
}
