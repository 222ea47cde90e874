package import Foundation
package import OPI

/// The requests kiosk-pinpad serves: payments with their customer dialogue, aborts, reversals and the service requests.
extension PinpadTerminal {
    func payment(_ request: OPIMessage) async -> Reply {
        let workstation = request.workstationID
        guard underway[workstation] == nil else {
            refuse("channel 0: CardPayment \(request.requestID) while \(underway[workstation]!.requestID) is under way")
            return .message(response(to: request, "Busy"))
        }
        guard !usedRequestIDs.contains(request.requestID) else {
            refuse("channel 0: CardPayment with RequestID \(request.requestID), which an earlier payment used")
            return .message(response(to: request, "ValidationError"))
        }
        let behaviour = takeBehaviour()
        switch behaviour {
        case .busy: return .message(response(to: request, "Busy"))
        case .loggedOut:
            loggedIn.remove(workstation)
            return .message(response(to: request, "Loggedout"))
        default: break
        }
        usedRequestIDs.insert(request.requestID)
        underway[workstation] = Underway(requestID: request.requestID)
        defer { underway[workstation] = nil }
        let amount = (try? PinpadChecks.amount(request)) ?? 0
        await show(request, ["Bedrag EUR \(OPIMessage.amount(amount))", "Pas insteken of aanhouden"])
        await show(request, ["Voer uw PIN in", "Enter your PIN"])
        if let millis = settings.customerMillis, millis > 0 { try? await Task.sleep(for: .milliseconds(min(millis, 60_000))) }
        if underway[workstation]?.aborted == true, behaviour != .slow, behaviour != .noAnswer {
            // The kiosk went away (or aborted) while the customer was busy: the terminal stops, nothing is charged.
            let answer = response(to: request, "Aborted", children: [errorText("Afgebroken")])
            lastPayment[workstation] = answer
            return .message(answer)
        }
        let reply: Reply
        switch behaviour {
        case .hold:
            let answer = approve(request, amount)
            lastPayment[workstation] = answer
            if underway[workstation]?.aborted != true {
                await withCheckedContinuation { underway[workstation]?.abort = $0 }
            }
            return .nothing
        case .approve, .dropAfterApprove, .wrongAmount:
            let charged = behaviour == .wrongAmount ? amount + 100 : amount
            let answer = approve(request, charged)
            await device.send(deviceRequest(request, target: "PrinterReceipt", lines: receipt(answer, charged)))
            await show(request, ["Betaling geslaagd", "Payment approved"])
            reply = behaviour == .dropAfterApprove ? .drop : .message(answer)
            lastPayment[workstation] = answer
        case .decline:
            await show(request, ["Geweigerd", "Declined"])
            reply = .message(response(to: request, "Failure", children: [errorText("Geweigerd door de bank")]))
        case .cancel, .cardRemoved:
            let words = behaviour == .cancel ? "Afgebroken door de klant" : "Kaart verwijderd"
            await show(request, [words])
            reply = .message(response(to: request, "Aborted", children: [errorText(words)]))
        case .slow, .noAnswer:
            if underway[workstation]?.aborted != true {
                await withCheckedContinuation { underway[workstation]?.abort = $0 }
            }
            if behaviour == .noAnswer { return .nothing }
            reply = .message(response(to: request, "Aborted", children: [errorText("Afgebroken door de kassa")]))
        case .garbage:
            reply = .raw(Data("this is not <xml".utf8))
        case .busy, .loggedOut:
            reply = .nothing
        }
        if case .message(let answer) = reply { lastPayment[workstation] = answer }
        return reply
    }

    private func takeBehaviour() -> PinpadBehaviour {
        let behaviour = settings.next
        if let times = settings.times {
            settings.times = times - 1
            if times - 1 <= 0 {
                settings = PinpadSettings(inquiries: settings.inquiries, customerMillis: settings.customerMillis)
            }
        }
        return behaviour
    }

    private func approve(_ request: OPIMessage, _ cents: Int) -> OPIMessage {
        let stan = nextSTAN()
        transactions.append(
            .init(
                stan: stan, requestID: request.requestID, workstation: request.workstationID, amountCents: cents, reversed: false)
        )
        let authorisation = OPIElement(
            "Authorisation",
            [
                "CardCircuit": "Maestro", "CardPAN": Self.testPAN, "TimeStamp": Self.timestamp(), "ApprovalCode": "A\(stan)",
                "AuthorisationType": "Online", "ActionCode": "0",
            ])
        return response(to: request, "Success", children: approval(stan: stan, cents: cents, authorisation))
    }

    /// The Terminal and Tender elements of an approval or a reversal.
    private func approval(stan: String, cents: Int, _ authorisation: OPIElement? = nil) -> [OPIElement] {
        [
            OPIElement("Terminal", ["TerminalID": terminalID, "STAN": stan]),
            OPIElement(
                "Tender",
                children: [OPIElement("TotalAmount", ["Currency": "EUR"], text: OPIMessage.amount(cents))]
                    + (authorisation.map { [$0] } ?? [])),
        ]
    }

    private func receipt(_ answer: OPIMessage, _ cents: Int) -> [String] {
        let stan = answer.root.find("Terminal")?["STAN"] ?? "?"
        return [
            "KIOSK-PINPAD (SIMULATIE)", "Terminal \(terminalID)", "Maestro", "Kaart: ************1234",
            "Bedrag: EUR \(OPIMessage.amount(cents))", "Transactie \(stan)", "Akkoord", "Bewaar dit bewijs",
        ]
    }

    private func show(_ request: OPIMessage, _ lines: [String]) async {
        await device.send(deviceRequest(request, target: "CustomerDisplay", lines: lines))
    }

    private func deviceRequest(_ request: OPIMessage, target: String, lines: [String]) -> OPIMessage {
        OPIMessage(
            .deviceRequest,
            [
                "RequestType": "Output", "RequestID": request.requestID, "WorkstationID": request.workstationID,
                "ApplicationSender": "kiosk-pinpad", "TerminalID": terminalID,
            ],
            children: [
                OPIElement(
                    "Output", ["OutDeviceTarget": target],
                    children: lines.enumerated().map {
                        OPIElement("TextLine", ["Row": "\($0.offset)", "Column": "0"], text: $0.element)
                    })
            ])
    }

    /// The kiosk's connection closed: a payment of its workstation still waiting for the customer is stopped, as a terminal
    /// stops one whose cash register went away.
    package func connectionClosed(workstations: Set<String>) {
        for workstation in workstations {
            guard var current = underway[workstation], !current.aborted else { continue }
            current.aborted = true
            current.abort?.resume()
            current.abort = nil
            underway[workstation] = current
            if lastPayment[workstation]?.requestID != current.requestID {
                lastPayment[workstation] = OPIMessage(
                    .cardServiceResponse,
                    [
                        "RequestType": "CardPayment", "RequestID": current.requestID, "WorkstationID": workstation,
                        "POPID": "001", "ApplicationSender": "kiosk-pinpad", "OverallResult": "Aborted",
                    ], children: [errorText("Verbinding met de kassa verbroken")])
            }
        }
    }

    func abort(_ request: OPIMessage) -> OPIMessage {
        guard var current = underway[request.workstationID], !current.aborted else {
            refuse("channel 0: AbortRequest \(request.requestID) with no payment under way")
            return response(to: request, "Failure", children: [errorText("Geen transactie actief")])
        }
        current.aborted = true
        current.abort?.resume()
        current.abort = nil
        underway[request.workstationID] = current
        return response(to: request, "Success")
    }

    func reversal(_ request: OPIMessage) -> OPIMessage {
        let stan = request.root.find("OriginalTransaction")?["STAN"] ?? ""
        guard let index = transactions.firstIndex(where: { $0.stan == stan && $0.workstation == request.workstationID })
        else {
            refuse("channel 0: PaymentReversal of STAN \(stan.prefix(32)), which this terminal did not approve in this period")
            return response(to: request, "Failure", children: [errorText("Onbekende transactie")])
        }
        guard (try? PinpadChecks.amount(request)) == transactions[index].amountCents else {
            refuse("channel 0: PaymentReversal of STAN \(stan) for another amount than it was")
            return response(to: request, "ValidationError")
        }
        let reversal = reversals[stan] ?? nextSTAN()
        reversals[stan] = reversal
        transactions[index].reversed = true
        return response(to: request, "Success", children: approval(stan: reversal, cents: transactions[index].amountCents))
    }

    func service(_ request: OPIMessage) -> OPIMessage {
        let workstation = request.workstationID
        switch request.requestType {
        case "Login":
            loggedIn.insert(workstation)
            return response(to: request, "Success")
        case "Logoff":
            loggedIn.remove(workstation)
            return response(to: request, "Success")
        case _ where !loggedIn.contains(workstation):
            refuse("channel 0: \(request.requestType) from \(workstation) before a Login")
            return response(to: request, "Loggedout")
        case "Diagnosis":
            return response(to: request, "Success")
        case "RepeatLastMessage":
            guard settings.inquiries else { return response(to: request, "DeviceUnavailable") }
            // A payment still under way has no last message yet: the terminal is busy with it.
            if let current = underway[workstation], !current.aborted { return response(to: request, "Busy") }
            guard let last = lastPayment[workstation] else {
                return response(to: request, "Failure", children: [errorText("Geen transactie")])
            }
            return last
        default:
            return closure(request)
        }
    }

    private func closure(_ request: OPIMessage) -> OPIMessage {
        let open = transactions.filter { $0.workstation == request.workstationID && !$0.reversed }
        let totals = OPIElement(
            "Reconciliation",
            children: open.isEmpty
                ? []
                : [
                    OPIElement(
                        "TotalAmount",
                        [
                            "NumberPayments": "\(open.count)", "PaymentType": "Debit", "Currency": "EUR",
                            "CardCircuit": "Maestro",
                        ], text: OPIMessage.amount(open.reduce(0) { $0 + $1.amountCents }))
                ])
        transactions.removeAll { $0.workstation == request.workstationID }
        closures += 1
        return response(
            to: request, "Success", children: [OPIElement("Terminal", ["TerminalID": terminalID, "STAN": nextSTAN()]), totals])
    }
}
