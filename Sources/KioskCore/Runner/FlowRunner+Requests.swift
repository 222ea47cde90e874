/// What the runner sends out (central requests, print jobs) and the values screens show, all built from the session.
extension FlowRunner {
    /// The product the resident chose, found through the choice step that stores `product`.
    func chosenProduct(_ flow: Flow, _ state: KioskState) -> ChoiceStep.Option? {
        guard let chosen = state.session.values["product"] else { return nil }
        for step in flow.steps {
            if case .choice(let choice) = step.kind, choice.store == "product",
                let option = choice.options.first(where: { $0.id == chosen })
            {
                return option
            }
        }
        return nil
    }

    /// The request a submit step sends; nil for a service that is not a flow's.
    func serviceRequest(_ kind: ServiceKind, _ flow: Flow, _ state: KioskState) -> ServiceRequest? {
        let session = state.session
        switch kind {
        case .extractRequest:
            let product = chosenProduct(flow, state)
            let bsn = session.values["bsn"]
            let chip = session.identity?.bsn?.digits
            // The identify step refuses a typed BSN that is not the chip's; this is the last line should a flow get past it.
            if let chip, bsn != chip { return nil }
            return .extractRequest(
                ExtractRequest(
                    product: product?.id ?? "", feeCents: product?.feeCents, bsn: bsn, bsnSource: chip == nil ? .typed : .chip,
                    identity: session.identity, language: state.language, payment: session.payment))
        case .lookupPickup:
            return .lookupPickup(code: session.values["pickupCode"] ?? "")
        case .collectPickup:
            return .collectPickup(code: session.values["pickupCode"] ?? "", identity: session.identity)
        case .callStaff:
            return .callStaff(session.staffContext ?? StaffCall(flow: nil, step: nil, language: state.language))
        case .faultReport:
            return nil
        }
    }

    /// Values for `{placeholders}` in step texts. Only what may be read over a resident's shoulder: no BSN, no name.
    func placeholders(_ flow: Flow, _ state: KioskState) -> [String: String] {
        var values = state.session.results.filter { ["caseId", "reference", "counter", "ticket"].contains($0.key) }
        if let product = chosenProduct(flow, state) {
            values["product"] = product.label[state.language]
            if let fee = product.feeCents { values["fee"] = UIText.fee(fee)[state.language] }
        }
        if let kind = state.session.results["documentKind"] {
            values["document"] = UIText.documentKind(kind)[state.language]
        }
        return values
    }

    func printJob(_ document: PrintDocument, _ flow: Flow, _ state: KioskState) -> PrintJob {
        let language = state.language
        let values = placeholders(flow, state)
        func line(_ nl: String, _ en: String) -> String { LocalizedText(nl: nl, en: en).filling(values)[language] }
        switch document {
        case .extract:
            return PrintJob(
                document: document,
                title: line("Uittreksel Basisregistratie Personen", "Extract from the Personal Records Database"),
                lines: [], documentID: state.session.results["documentId"], paymentReceipt: state.session.paymentReceipt)
        case .receipt:
            // With a case number the central has it; without one it waits in the outbox for a connection.
            let received = state.session.results["caseId"] != nil
            return PrintJob(
                document: document, title: line("Ontvangstbewijs", "Receipt"),
                lines: [
                    line("Referentie: {reference}", "Reference: {reference}"),
                    received ? line("Zaaknummer: {caseId}", "Case number: {caseId}") : nil,
                    line("Product: {product}", "Product: {product}"),
                    line("Kosten: {fee}", "Fee: {fee}"),
                    state.session.payment.map { UIText.paid($0)[language] },
                    received
                        ? nil
                        : line(
                            "Uw aanvraag is bewaard en wordt verstuurd zodra er verbinding is.",
                            "Your request is stored and will be sent as soon as there is a connection."),
                    line("U ontvangt het uittreksel per post.", "You will receive the extract by post."),
                ].compactMap { $0 }, code: state.session.results["reference"], paymentReceipt: state.session.paymentReceipt)
        case .pickupTicket:
            return PrintJob(
                document: document, title: line("Afhaalbewijs", "Pickup ticket"),
                lines: [
                    line("Volgnummer: {ticket}", "Number: {ticket}"),
                    line("Balie: {counter}", "Counter: {counter}"),
                    line("Af te halen: {document}", "To collect: {document}"),
                ], code: state.session.results["reference"])
        }
    }

    func summaryValue(_ field: SummaryField, _ flow: Flow, _ state: KioskState) -> String? {
        let values = placeholders(flow, state)
        switch field {
        case .product: return values["product"]
        case .fee: return values["fee"]
        case .name: return state.session.identity?.displayName
        case .bsn: return state.session.values["bsn"].map { "******" + $0.suffix(3) }
        case .document: return state.session.identity?.maskedDocumentNumber
        case .pickupDocument: return values["document"]
        }
    }

    /// The path a resident takes when all goes well, for "step 3 of 7".
    func mainPath(_ flow: Flow) -> [String] {
        var path: [String] = []
        var step: Step? = flow.start
        while let current = step, !path.contains(current.id) {
            path.append(current.id)
            let next: String?
            switch current.kind {
            case .info(let n): next = n
            case .identify(let i): next = i.next
            case .choice(let c): next = c.options.first?.next
            case .input(let i): next = i.next
            case .confirm(let c): next = c.next
            case .print(let p): next = p.next
            case .pay(let p): next = p.outcomes[.approved]
            case .submit(let s):
                next = s.outcomes.first { [.accepted, .found, .collected, .called].contains($0.key) }?.value
            case .done: next = nil
            }
            step = next.flatMap(flow.step)
        }
        return path
    }
}
