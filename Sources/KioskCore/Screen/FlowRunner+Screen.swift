/// Turns the state into the ``Screen`` a front draws. Pure, like the runner: the same state always gives the same screen.
extension FlowRunner {
    public func screen(for state: KioskState) -> Screen {
        let language = state.language
        var screen: Screen
        if let (flow, step) = current(state) {
            screen = stepScreen(flow, step, state)
        } else if isOutOfOrder(state) {
            screen = Screen(language: language, title: UIText.outOfOrderTitle[language])
            screen.body = [UIText.outOfOrderBody[language]]
        } else {
            screen = Screen(language: language, title: UIText.homeTitle[language])
            screen.body = [UIText.homeBody[language]]
            screen.buttons = availableFlows(state).filter { $0.id != callStaffFlow }.map {
                Screen.Button(action: .startFlow($0.id), label: $0.title[language])
            }
        }
        screen.notice = state.notice
        if !state.centralOnline { screen.banner = UIText.offlineBanner[language] }
        if state.warning { screen.warning = UIText.warning[language] }
        screen.chrome = chrome(state, busy: screen.busy)
        screen.speech = state.speech
        return screen
    }

    func chrome(_ state: KioskState, busy: Bool) -> [Screen.Button] {
        let language = state.language
        var chrome: [Screen.Button] = []
        if let (flow, step) = current(state), !busy, !state.history.isEmpty || step.id == flow.start.id {
            chrome.append(Screen.Button(action: .back, label: UIText.back[language]))
        }
        chrome.append(Screen.Button(action: .language, label: UIText.switchLanguage[language]))
        let readAloud = state.speech.on ? UIText.stopReading : UIText.readAloud
        chrome.append(Screen.Button(action: .readAloud, label: readAloud[language]))
        // A payment under way ends only at the terminal, or with the screen's own cancel: never by leaving the session.
        if isPaying(state) { return chrome }
        if let callStaffFlow, current(state)?.0.id != callStaffFlow {
            chrome.append(Screen.Button(action: .callStaff, label: UIText.callStaff[language]))
        }
        if current(state) != nil {
            chrome.append(Screen.Button(action: .stop, label: UIText.stop[language]))
        }
        return chrome
    }

    func stepScreen(_ flow: Flow, _ step: Step, _ state: KioskState) -> Screen {
        let language = state.language
        let values = placeholders(flow, state)
        var screen = Screen(language: language, title: (step.title ?? flow.title).filling(values)[language])
        screen.body = [step.text.filling(values)[language]]
        let path = residentPath(flow, state)
        if let index = path.firstIndex(of: step.id), path.count > 2 {
            screen.progress = UIText.step(index + 1, of: path.count)[language]
        }
        func button(_ action: Action, _ text: LocalizedText) -> Screen.Button {
            Screen.Button(action: action, label: text[language])
        }
        switch (step.kind, state.phase) {
        case (_, .tooManyFailures):
            screen.body.append(UIText.tooManyFailures[language])
            if callStaffFlow != nil { screen.buttons = [button(.callStaff, UIText.callStaff)] }
        case (_, .refused(let why)):
            screen.title = UIText.refusedTitle[language]
            var worded: LocalizedText?
            if case .identify(let identify) = step.kind { worded = identify.refusals[why] }
            screen.body = [(worded ?? UIText.refusal(why))[language]]
            screen.buttons = [button(.finish, UIText.finish)]
            if callStaffFlow != nil { screen.buttons.append(button(.callStaff, UIText.callStaff)) }
        case (.pay, _):
            payScreen(state, &screen)
        case (_, .waiting):
            screen.busy = true
            if case .print = step.kind {
                screen.body.append(UIText.printing[language])
            } else {
                screen.body.append(UIText.waiting[language])
            }
        case (.print, .failed):
            screen.title = UIText.printFailedTitle[language]
            screen.body = []
            screen.buttons = printerBlocked(state) ? [] : [button(.retry, UIText.retry)]
            if callStaffFlow != nil { screen.buttons.append(button(.callStaff, UIText.callStaff)) }
            screen.buttons.append(button(.finish, UIText.finish))
        case (_, .unconfirmed):
            screen.title = UIText.printUnconfirmedTitle[language]
            screen.body = []
            if callStaffFlow != nil { screen.buttons = [button(.callStaff, UIText.callStaff)] }
            screen.buttons.append(button(.finish, UIText.finish))
        case (.submit, .failed):
            screen.title = UIText.notSentTitle[language]
            screen.body = []
            if callStaffFlow != nil { screen.buttons = [button(.callStaff, UIText.callStaff)] }
        case (.info, _):
            screen.buttons = [button(.next, UIText.next)]
        case (.choice(let choice), _):
            screen.buttons = choice.options.map { option in
                var label = option.label[language]
                if let fee = option.feeCents { label += " — " + UIText.fee(fee)[language] }
                return Screen.Button(action: .option(option.id), label: label)
            }
        case (.input(let input), _):
            screen.input = Screen.InputField(
                label: input.label[language], value: state.input, keyboard: .for(input.validator))
            screen.buttons = [button(.submitInput, UIText.submitInput)]
        case (.identify, .identify(let phase)):
            identify(phase, state, &screen)
        case (.confirm(let confirm), _):
            screen.summary = confirm.summary.compactMap { field in
                summaryValue(field, flow, state).map {
                    Screen.SummaryLine(
                        label: UIText.label(field)[language], value: $0, personal: [.name, .bsn, .document].contains(field))
                }
            }
            screen.buttons = [button(.next, confirm.button ?? UIText.confirm)]
        case (.done, _):
            screen.keyFacts = keyFacts(step, values, language)
            screen.buttons = [button(.finish, UIText.finish)]
        default:
            break
        }
        return screen
    }

    /// The numbers a done screen's text names, to stand out: counter and ticket, case number, reference.
    func keyFacts(_ step: Step, _ values: [String: String], _ language: Language) -> [Screen.SummaryLine] {
        let labels: [(String, LocalizedText)] = [
            ("counter", UIText.counterLabel), ("ticket", UIText.ticketLabel), ("caseId", UIText.caseLabel),
            ("reference", UIText.referenceLabel),
        ]
        return labels.compactMap { key, label in
            guard step.text[language].contains("{\(key)}"), let value = values[key] else { return nil }
            return Screen.SummaryLine(label: label[language], value: value)
        }
    }

    /// The steps the resident takes on this flow's main path, numbered on the screen: not the kiosk's own (sending,
    /// printing, shown while waiting), and not a BSN step the chip of their document answered.
    func residentPath(_ flow: Flow, _ state: KioskState) -> [String] {
        mainPath(flow).filter { id in
            switch flow.step(id)?.kind {
            case .submit, .print, nil: false
            case .input(let input): !(input.validator == .bsn && state.session.identity?.bsn != nil)
            default: true
            }
        }
    }

    func identify(_ phase: IdentifyPhase, _ state: KioskState, _ screen: inout Screen) {
        let language = state.language
        if !state.cardPresent { screen.picture = .documentOnReader }
        switch phase {
        case .typing(let field, _):
            screen.body.append(UIText.scanOrType[language])
            let label: LocalizedText =
                switch field {
                case .documentNumber: UIText.documentNumber
                case .birthDate: UIText.birthDate
                case .expiryDate: UIText.expiryDate
                }
            screen.input = Screen.InputField(
                label: label[language], value: state.input, keyboard: field == .documentNumber ? .documentNumber : .date)
            screen.buttons = [Screen.Button(action: .submitInput, label: UIText.submitInput[language])]
            // Without a document on the reader, the picture shows where it goes.
            if state.cardPresent { screen.body.append(UIText.cardOnReader[language]) }
        case .typingCAN:
            screen.body.append(UIText.canExplained[language])
            screen.input = Screen.InputField(label: UIText.canLabel[language], value: state.input, keyboard: .can)
            screen.buttons = [Screen.Button(action: .submitInput, label: UIText.submitInput[language])]
        case .waitingForCard:
            screen.body.append(UIText.placeDocument[language])
            if state.cardPresent { screen.buttons = [Screen.Button(action: .retry, label: UIText.retry[language])] }
        case .reading:
            screen.busy = true
            screen.body.append(UIText.reading[language])
        }
    }
}
