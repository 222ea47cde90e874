/// The kiosk as a pure state machine: `(state, event) -> (state, [effect])`.
///
/// It reads no clock, no device and no network. The daemon executes the effects (timers, card reads, central calls, printing)
/// and feeds their answers back as events, so every flow can be tested in microseconds and the same core drives every front.
///
/// ```swift
/// let runner = FlowRunner(flows: FlowLoader.load(files).flows)
/// var state = KioskState(devices: [.printer: .online, .cardReader: .online])
/// let effects = runner.handle(&state, .action(.startFlow("pickup")))
/// ```
public struct FlowRunner: Sendable {
    public let flows: [Flow]
    /// The flow "call staff" jumps to from any screen; nil hides the button.
    public let callStaffFlow: String?

    public init(flows: [Flow], callStaffFlow: String? = "call-staff") {
        self.flows = flows
        self.callStaffFlow = flows.contains { $0.id == callStaffFlow } ? callStaffFlow : nil
    }

    /// The functional form of ``handle(_:_:)``.
    public func reduce(_ state: KioskState, _ event: KioskEvent) -> (KioskState, [Effect]) {
        var next = state
        let effects = handle(&next, event)
        return (next, effects)
    }

    /// Applies one event to the state and returns the work it asks for.
    public func handle(_ state: inout KioskState, _ event: KioskEvent) -> [Effect] {
        let placeBefore = state.place
        let tokenBefore = state.timerToken
        let phaseBefore = state.phase
        if event.isResidentActivity { state.warning = false }
        var effects: [Effect]
        switch event {
        case .action(let action):
            guard screen(for: state).offers(action) else { return [] }
            effects = act(action, &state)
        case .typed(let text): effects = type(text, &state)
        case .erase:
            if !state.input.isEmpty { state.input.removeLast() }
            effects = []
        case .scanned(let text): effects = scanned(text, &state)
        case .cardInserted:
            state.cardPresent = true
            effects = cardInserted(&state)
        case .cardRemoved:
            state.cardPresent = false
            effects = []
        case .cardRead(let request, let result, let today): effects = cardRead(request, result, today, &state)
        case .serviceResult(let request, let result): effects = serviceResult(request, result, &state)
        case .printed(let request, let result): effects = printed(request, result, &state)
        case .paid(let request, let result): effects = paid(request, result, &state)
        case .paymentPrompt(let request, let lines): effects = paymentPrompt(request, lines, &state)
        case .timer(let token): effects = timer(token, &state)
        case .deviceStatus(let deviceClass, let status):
            state.devices[deviceClass] = status
            effects = []
        case .deviceService(let deviceClass, let inService):
            if inService { state.outOfService.remove(deviceClass) } else { state.outOfService.insert(deviceClass) }
            effects = []
        case .centralReachable(let online):
            state.centralOnline = online
            effects = []
        case .storage(let canStore):
            state.canStore = canStore
            effects = []
        case .headset(let plugged):
            state.speech.headset(plugged: plugged)
            effects = []
        case .speech(let control):
            state.speech.apply(control)
            effects = []
        }
        // A new phase restarts the clock too: a failure that ends a long wait gets its full time on screen.
        if state.timerToken == tokenBefore, event.isResidentActivity || state.place != placeBefore || state.phase != phaseBefore {
            effects.append(restartTimer(&state))
        }
        return effects
    }

    // MARK: - Flows on offer

    /// Flows whose devices are all free of blocking faults and in service. A device the kiosk does not have counts as blocking.
    ///
    /// A flow that cannot finish is not offered either, so that nobody goes through every step to hear so at the end: one
    /// that stores a request while the outbox cannot (a full disk), and one that needs the central's answer at once (a
    /// pickup looked up) while the central cannot be reached. Calling staff is always offered: it has its own way out.
    public func availableFlows(_ state: KioskState) -> [Flow] {
        flows.filter { flow in
            let services = flow.services
            if flow.id != callStaffFlow {
                if !state.canStore && services.contains(where: \.changesState) { return false }
                if !state.centralOnline && services.contains(where: \.needsAnswerNow) { return false }
            }
            return flow.requires.allSatisfy {
                !state.outOfService.contains($0) && (state.devices[$0].map { !$0.isBlocking } ?? false)
            }
        }
    }

    /// No resident flow can be served: the start screen says "out of order" and offers only staff.
    public func isOutOfOrder(_ state: KioskState) -> Bool {
        !availableFlows(state).contains { $0.id != callStaffFlow }
    }

    func flow(_ id: String) -> Flow? { flows.first { $0.id == id } }

    func current(_ state: KioskState) -> (Flow, Step)? {
        guard case .step(let flowID, let stepID) = state.place, let flow = flow(flowID), let step = flow.step(stepID) else {
            return nil
        }
        return (flow, step)
    }

    // MARK: - Actions

    func act(_ action: Action, _ state: inout KioskState) -> [Effect] {
        switch action {
        case .startFlow(let id): return start(id, &state)
        case .option(let id):
            guard let (_, step) = current(state), case .choice(let choice) = step.kind,
                let option = choice.options.first(where: { $0.id == id })
            else { return [] }
            state.session.values[choice.store] = option.id
            return advance(to: option.next, &state)
        case .next:
            guard let (_, step) = current(state) else { return [] }
            switch step.kind {
            case .info(let next): return advance(to: next, &state)
            case .confirm(let confirm): return advance(to: confirm.next, &state)
            default: return []
            }
        case .submitInput: return submitInput(&state)
        case .retry: return retry(&state)
        case .finish: return end(.finished, &state)
        case .keepGoing: return []
        case .back: return back(&state)
        case .stop: return end(.stopped, &state)
        case .language:
            state.language = state.language.other
            return []
        case .callStaff: return handToStaff(&state)
        case .readAloud:
            state.speech.on.toggle()
            return []
        case .cancelPayment: return cancelPayment(&state)
        }
    }

    func start(_ id: String, _ state: inout KioskState) -> [Effect] {
        guard let flow = flow(id), availableFlows(state).contains(where: { $0.id == id }) else { return [] }
        state.history = []
        return enter(flow, flow.start.id, &state)
    }

    /// Moves forward, remembering the current step for back. Going on to a step already on the way here (trying a code
    /// again) goes back to it instead: back from there leads where it led the first time, not round the loop.
    func advance(to stepID: String, _ state: inout KioskState) -> [Effect] {
        guard let (flow, step) = current(state) else { return [] }
        if let earlier = state.history.firstIndex(of: stepID) {
            state.history.removeSubrange(earlier...)
        } else {
            state.history.append(step.id)
        }
        return enter(flow, stepID, &state)
    }

    /// Shows a step and starts whatever it does on arrival (a submit, a print).
    func enter(_ flow: Flow, _ stepID: String, _ state: inout KioskState) -> [Effect] {
        guard let step = flow.step(stepID) else { return [] }
        state.place = .step(flow: flow.id, step: step.id)
        state.phase = .ready
        state.input = ""
        state.notice = nil
        for key in step.clears { state.session.values[key] = nil }
        switch step.kind {
        case .input(let input):
            if input.validator == .bsn, let bsn = state.session.identity?.bsn {
                // The chip of a Dutch document carries the BSN: the resident is not asked to type it.
                state.session.values[input.store] = bsn.digits
                return enter(flow, input.next, &state)
            }
            state.input = state.session.values[input.store] ?? ""
            return []
        case .identify:
            state.phase = .identify(.typing(.documentNumber, PartialKey()))
            return []
        case .submit(let submit):
            guard let call = serviceRequest(submit.service, flow, state) else {
                // Only a flow built in code can get here (the loader refuses daemon services): say so rather than hang.
                state.phase = .failed
                state.notice = .error(UIText.notTaken)
                return []
            }
            let request = nextRequest(&state)
            state.phase = .waiting(request: request)
            return [.callService(request: request, call)]
        case .print(let print):
            let request = nextRequest(&state)
            state.phase = .waiting(request: request)
            return [.print(request: request, printJob(print.document, flow, state))]
        case .pay(let pay):
            return enterPay(pay, flow, &state)
        default:
            return []
        }
    }

    func back(_ state: inout KioskState) -> [Effect] {
        guard let (flow, _) = current(state) else { return [] }
        guard let previous = state.history.popLast() else { return end(.stopped, &state) }
        return enter(flow, previous, &state)
    }

    /// Ends the visit: personal data goes, the next resident starts at home in the default language.
    func end(_ reason: SessionEnd, _ state: inout KioskState) -> [Effect] {
        let hadSession = state.place != .home || !state.session.isEmpty
        state.place = .home
        state.phase = .ready
        state.history = []
        state.session = Session()
        state.input = ""
        state.notice = nil
        state.warning = false
        state.closing = false
        state.language = state.defaultLanguage
        state.speech.visitEnded()
        return hadSession ? [.sessionEnded(reason)] : []
    }

    func handToStaff(_ state: inout KioskState) -> [Effect] {
        guard let staffFlow = callStaffFlow.flatMap(flow) else { return [] }
        var context = StaffCall(flow: nil, step: nil, language: state.language)
        if case .step(let flowID, let stepID) = state.place {
            context.flow = flowID
            context.step = stepID
        }
        let (language, speech) = (state.language, state.speech)
        var effects = end(.handedToStaff, &state)
        // The same resident, waiting for staff: their language and their speech settings stay.
        (state.language, state.speech) = (language, speech)
        state.session.staffContext = context
        effects += enter(staffFlow, staffFlow.start.id, &state)
        return effects
    }

    func nextRequest(_ state: inout KioskState) -> Int {
        state.requestCounter += 1
        return state.requestCounter
    }

    // MARK: - Timers

    func restartTimer(_ state: inout KioskState) -> Effect {
        state.timerToken += 1
        state.closing = false
        guard let (flow, _) = current(state) else {
            // At home only a foreign language needs a timer: the next resident starts in Dutch.
            return state.language == state.defaultLanguage
                ? .cancelTimer : .startTimer(token: state.timerToken, seconds: Inactivity.standard.warnAfter)
        }
        return .startTimer(token: state.timerToken, seconds: flow.inactivity.warnAfter)
    }

    func timer(_ token: Int, _ state: inout KioskState) -> [Effect] {
        guard token == state.timerToken else { return [] }
        guard let (flow, step) = current(state) else {
            state.language = state.defaultLanguage
            return []
        }
        if case .done = step.kind { return end(.finished, &state) }
        state.timerToken += 1
        switch state.phase {
        case .waiting, .identify(.reading):
            // A device or the central is at work, and answers or gives up by itself: no warning covers the wait.
            return [.startTimer(token: state.timerToken, seconds: flow.inactivity.warnAfter)]
        case .failed, .unconfirmed, .refused, .tooManyFailures, .paymentFailed:
            // A failure screen keeps what it says (the reference, the counter) in view until the resident has had the
            // whole warn-and-reset time; no warning covers it, and then the session ends in one go.
            if state.closing { return end(.timedOut, &state) }
            state.closing = true
            return [.startTimer(token: state.timerToken, seconds: flow.inactivity.resetAfter)]
        case .ready, .identify:
            if state.warning { return end(.timedOut, &state) }
            state.warning = true
            return [.startTimer(token: state.timerToken, seconds: flow.inactivity.resetAfter)]
        }
    }
}
