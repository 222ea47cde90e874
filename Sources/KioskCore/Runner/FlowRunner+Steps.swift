/// How each kind of step takes input and answers: typing, validation, identification, central answers and printing.
extension FlowRunner {
    static let maxInput = 40

    // MARK: - Typing

    /// Typed characters go into the field as its keyboard would type them: what has no key there is dropped.
    func type(_ text: String, _ state: inout KioskState) -> [Effect] {
        guard let keyboard = keyboard(state) else { return [] }
        state.input = keyboard.append(text, to: state.input)
        return []
    }

    /// The keyboard of the field the resident is typing into, if any.
    func keyboard(_ state: KioskState) -> Keyboard? {
        guard let (_, step) = current(state) else { return nil }
        switch (step.kind, state.phase) {
        case (.input(let input), .ready): return .for(input.validator)
        case (.identify, .identify(.typing(.documentNumber, _))): return .documentNumber
        case (.identify, .identify(.typing)): return .date
        case (.identify, .identify(.typingCAN)): return .can
        default: return nil
        }
    }

    func submitInput(_ state: inout KioskState) -> [Effect] {
        guard let (_, step) = current(state) else { return [] }
        switch (step.kind, state.phase) {
        case (.input(let input), .ready):
            switch Self.validate(state.input, input.validator) {
            case .success(let value):
                state.session.values[input.store] = value
                return advance(to: input.next, &state)
            case .failure(let problem):
                state.notice = .error(problem.text)
                return []
            }
        case (.identify, .identify(.typingCAN(let key))):
            let can = state.input.filter { $0 != " " }
            guard AccessKey.isCAN(can) else {
                state.notice = .error(UIText.badCAN)
                return []
            }
            state.input = ""
            state.notice = nil
            return keyReady(key.with(can: can), &state)
        case (.identify, .identify(.typing(let field, var partial))):
            let text = state.input
            switch field {
            case .documentNumber:
                let number = text.uppercased().filter { $0 != " " }
                guard (6...22).contains(number.count), number.allSatisfy({ MRZ.isMRZCharacter($0) && $0 != "<" }) else {
                    state.notice = .error(UIText.badDocumentNumber)
                    return []
                }
                partial.documentNumber = number
                state.phase = .identify(.typing(.birthDate, partial))
            case .birthDate:
                guard let date = CalendarDate(typed: text) else {
                    state.notice = .error(UIText.badDate)
                    return []
                }
                partial.birthDate = date
                state.phase = .identify(.typing(.expiryDate, partial))
            case .expiryDate:
                guard let expiry = CalendarDate(typed: text), let birth = partial.birthDate,
                    let key = try? AccessKey(documentNumber: partial.documentNumber ?? "", birth: birth, expiry: expiry)
                else {
                    state.notice = .error(UIText.badDate)
                    return []
                }
                state.input = ""
                state.notice = nil
                return keyReady(key, &state)
            }
            state.input = ""
            state.notice = nil
            return []
        default:
            return []
        }
    }

    /// Checks a typed value and returns it normalised (digits only, upper case), or the resident-facing reason.
    static func validate(_ text: String, _ validator: Validator) -> Result<String, Problem> {
        switch validator {
        case .bsn:
            do {
                return .success(try BSN(text).digits)
            } catch .notNineDigits {
                return .failure(Problem(UIText.bsnLength))
            } catch {
                return .failure(Problem(UIText.bsnCheck))
            }
        case .pickupCode:
            do {
                return .success(try PickupCode(text).value)
            } catch .wrongLength {
                return .failure(Problem(UIText.pickupLength))
            } catch {
                return .failure(Problem(UIText.pickupCharacters))
            }
        case .date:
            guard let date = CalendarDate(typed: text) else { return .failure(Problem(UIText.badDate)) }
            return .success(date.display)
        }
    }

    struct Problem: Error {
        let text: LocalizedText
        init(_ text: LocalizedText) { self.text = text }
    }

    // MARK: - Scanning and identification

    func scanned(_ text: String, _ state: inout KioskState) -> [Effect] {
        guard let (_, step) = current(state) else { return [] }
        switch (step.kind, state.phase) {
        case (.identify, .identify(.typing)), (.identify, .identify(.waitingForCard)):
            guard let mrz = try? MRZ(text) else {
                state.notice = .error(UIText.badScan)
                return []
            }
            state.input = ""
            state.notice = nil
            return keyReady(mrz.accessKey, &state)
        case (.input(let input), .ready) where input.validator == .pickupCode:
            // The pickup letter carries the code as a barcode too: a scan fills the field and goes on.
            state.input = String(text.prefix(Self.maxInput))
            return submitInput(&state)
        default:
            return []
        }
    }

    func keyReady(_ key: AccessKey, _ state: inout KioskState) -> [Effect] {
        guard state.cardPresent else {
            state.phase = .identify(.waitingForCard(key))
            return []
        }
        let request = nextRequest(&state)
        state.phase = .identify(.reading(request: request, key))
        return [.readCard(request: request, key)]
    }

    func cardInserted(_ state: inout KioskState) -> [Effect] {
        guard case .identify(.waitingForCard(let key)) = state.phase else { return [] }
        state.notice = nil
        return keyReady(key, &state)
    }

    func cardRead(_ request: Int, _ result: CardReadResult, _ today: CalendarDate, _ state: inout KioskState) -> [Effect] {
        guard case .identify(.reading(request, let key)) = state.phase, let (_, step) = current(state),
            case .identify(let identify) = step.kind
        else { return [] }
        switch result {
        case .identity(let identity, let evidence):
            if let refusal = refusal(of: identity, evidence, identify, today, state) {
                // Nothing of this document stays: not the identity, not a BSN typed for it.
                state.session.identity = nil
                state.session.values["bsn"] = nil
                state.phase = .refused(refusal)
                state.notice = nil
                return []
            }
            state.session.identity = identity
            return advance(to: identify.next, &state)
        case .cardRemoved:
            state.phase = .identify(.waitingForCard(key))
            state.notice = .error(UIText.cardRemoved)
            return []
        case .canRequired:
            state.phase = .identify(.typingCAN(key.with(can: nil)))
            state.notice = .info(UIText.canNeeded)
            return []
        case .accessDenied, .unreadable:
            state.session.identifyFailures += 1
            if state.session.identifyFailures >= 3 {
                state.phase = .tooManyFailures
                state.notice = nil
                return []
            }
            if result == .accessDenied, key.can != nil {
                // The MRZ was right (the chip asked for the CAN after it); the CAN typed was not.
                state.phase = .identify(.typingCAN(key.with(can: nil)))
                state.notice = .error(UIText.wrongCAN)
            } else if result == .accessDenied {
                state.phase = .identify(.typing(.documentNumber, PartialKey()))
                state.notice = .error(UIText.accessDenied)
            } else {
                state.phase = .identify(.waitingForCard(key))
                state.notice = .error(UIText.unreadable)
            }
            return []
        }
    }

    /// Why the step does not accept this document, or nil when it does.
    func refusal(
        of identity: Identity, _ evidence: ChipEvidence, _ step: IdentifyStep, _ today: CalendarDate, _ state: KioskState
    ) -> Refusal? {
        if step.requirePassiveAuthentication {
            switch evidence.passive {
            case .valid: break
            case .dataAltered, .invalid: return .dataAltered
            case .unknownIssuer: return .unknownIssuer
            case .notChecked: return .unverified
            }
        }
        // Only meaningful on data passive authentication proved: the keys are the data groups'.
        if step.requireAntiClone {
            switch evidence.antiClone {
            case .proved: break
            case .failed: return .cloneSuspected
            case .notSupported, .notChecked: return .unverified
            }
        }
        if !identity.isAcceptable(on: today, graceMonths: step.acceptExpiredMonths) { return .expired }
        if let typed = state.session.values["bsn"], let chip = identity.bsn, typed != chip.digits { return .bsnMismatch }
        return nil
    }

    func retry(_ state: inout KioskState) -> [Effect] {
        guard let (flow, step) = current(state) else { return [] }
        switch (step.kind, state.phase) {
        case (.print, .failed) where !printerBlocked(state): return enter(flow, step.id, &state)
        case (.identify, .identify(.waitingForCard(let key))) where state.cardPresent: return keyReady(key, &state)
        case (.pay, .paymentFailed) where canRetryPayment(state): return enter(flow, step.id, &state)
        default: return []
        }
    }

    // MARK: - Answers

    func serviceResult(_ request: Int, _ result: ServiceResult, _ state: inout KioskState) -> [Effect] {
        guard state.phase == .waiting(request: request), let (_, step) = current(state), case .submit(let submit) = step.kind
        else { return [] }
        if result.outcome == .notTaken {
            // The outbox could not store it: no flow that stores a request is offered until the daemon sees room again.
            state.canStore = false
            // Never pretend: nothing was stored, so the resident is told so and offered a staff member.
            state.phase = .failed
            state.notice = .error(UIText.notTaken)
            return []
        }
        state.centralOnline = result.outcome != .offline
        if let refusal = refusal(after: submit.service, result.outcome, &state) {
            state.history = []
            state.phase = .refused(refusal)
            state.notice = nil
            return []
        }
        guard let next = submit.outcomes[result.outcome] else { return [] }
        state.session.results.merge(result.fields) { _, new in new }
        // Sent is sent: back must never lead to the same submit again. A call that only asked may be asked again, so
        // back from its answer leads to the step before it (the code, to type another).
        if !submit.service.onlyAsks { state.history = [] }
        guard let (flow, _) = current(state) else { return [] }
        return enter(flow, next, &state)
    }

    /// Answers that end the attempt whatever the flow maps them to: a locked pickup code, and a third unknown one.
    func refusal(after service: ServiceKind, _ outcome: ServiceOutcome, _ state: inout KioskState) -> Refusal? {
        if outcome == .locked { return .pickupLocked }
        guard service == .lookupPickup, outcome == .notFound else { return nil }
        state.session.unknownPickupCodes += 1
        return state.session.unknownPickupCodes >= 3 ? .tooManyCodes : nil
    }

    func printed(_ request: Int, _ result: PrintResult, _ state: inout KioskState) -> [Effect] {
        guard state.phase == .waiting(request: request), let (flow, step) = current(state), case .print(let print) = step.kind
        else {
            return []
        }
        switch result {
        case .printed:
            state.history = []
            return enter(flow, print.next, &state)
        case .failed:
            state.phase = .failed
            let reference = state.session.results["reference"]
            state.notice = .error(reference.map { UIText.printFailed(reference: $0) } ?? UIText.printFailed)
            return []
        case .unknown:
            state.phase = .unconfirmed
            state.history = []
            let reference = state.session.results["reference"]
            state.notice = .error(reference.map { UIText.printUnconfirmed(reference: $0) } ?? UIText.printUnconfirmed)
            return []
        }
    }

    /// A retry waits until the printer is out of a blocking state (cover open, paper out, queue stopped): sent into one, it
    /// could come out later, when the resident has gone.
    func printerBlocked(_ state: KioskState) -> Bool {
        state.devices[.printer]?.isBlocking == true || state.outOfService.contains(.printer)
    }
}
