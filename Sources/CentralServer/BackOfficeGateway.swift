package import CommonGround
package import Foundation
package import Logging

/// kiosk-central's back office when it is the municipality's: the BRP for the extract's data, the ZGW APIs for the case,
/// Klantinteracties for the contact. Runs the journal's steps one request at a time, each at most once (see
/// ``BackOfficeJournal``); a step that fails leaves the request in the journal, to be run again by ``runDue()``.
package actor BackOfficeGateway {
    package let config: BackOfficeConfig
    let brp: BRPClient
    let zgw: ZGWClient
    let klant: KlantinteractiesClient
    package let journal: BackOfficeJournal
    let logger: Logger
    /// The catalogue entries read, by identificatie, with the day they were read for (see ``caseType(_:statuses:documentType:)``).
    var caseTypes: [String: (type: CaseType, day: String)] = [:]
    var running: Set<String> = []
    /// Requests the kiosk fetched the extract of while a run of theirs was under way.
    var rerun: Set<String> = []
    /// Fault codes known to be resolved; empty at start, so that the first call that goes through after a start resolves
    /// a fault left from before it.
    var settled: Set<String> = []
    /// How long after a call began a step waits before it looks for what that call made: three times the call timeout.
    /// A call the gateway gave up on may still land at the server; twice the timeout was the edge itself, and a CI run
    /// found a rol that landed just after a look-up at exactly that moment had found none (a second rol).
    var interruptedGrace: TimeInterval { TimeInterval(3 * config.timeoutSeconds) }

    package init(
        config: BackOfficeConfig, brp: BRPClient, zgw: ZGWClient, klant: KlantinteractiesClient,
        journal: BackOfficeJournal, logger: Logger
    ) {
        self.config = config
        self.brp = brp
        self.zgw = zgw
        self.klant = klant
        self.journal = journal
        self.logger = logger
    }

    /// The person behind a BSN, from the BRP. A refused credential (or TLS handshake) is the fault `register`.
    package func person(bsn: String) async throws(BackOfficeError) -> RegisterPerson? {
        do throws(BackOfficeError) {
            let person = try await brp.person(bsn: bsn)
            await wentThrough("register")
            return person
        } catch {
            if error.kind == .credentials {
                await raise("register", "the BRP refused the credentials: \(error.detail)")
            }
            throw error
        }
    }

    /// A back-office fault, in the fault table staff see; resolved by ``wentThrough(_:)``.
    func raise(_ code: String, _ summary: String) async {
        settled.remove(code)
        await journal.fault(code, summary: summary)
    }

    /// A call of this kind went through: its fault, if any, is resolved.
    func wentThrough(_ code: String) async {
        guard settled.insert(code).inserted else { return }
        await journal.fault(code, summary: nil)
    }

    /// The zaak identificatie for a kiosk reference: the case number the resident is given.
    package func identificatie(reference: String) -> String {
        config.identificationPrefix + reference
    }

    /// A catalogue entry, read once a day: the version of a zaaktype in force is chosen by date (a new version the
    /// municipality publishes starts on its beginGeldigheid), so tomorrow's may be another one.
    func caseType(_ identificatie: String, statuses: [String], documentType: String?) async throws(BackOfficeError)
        -> CaseType
    {
        let today = Self.today()
        if let known = caseTypes[identificatie], known.day == today { return known.type }
        let found = try await zgw.caseType(
            identificatie: identificatie, statuses: statuses, documentType: documentType, today: today)
        caseTypes[identificatie] = (found, today)
        return found
    }

    /// The kiosk fetched the extract of this case to print it: the case gets its closing status.
    package func delivered(caseID: String) async {
        guard let reference = try? await journal.wantClosed(identificatie: caseID) else { return }
        // A run under way may have read the entry before the fetch: it runs once more when it ends.
        if running.contains(reference) {
            rerun.insert(reference)
            return
        }
        await run(reference)
    }

    /// One line about the back office, never with personal data.
    package func log(_ line: String) {
        logger.warning("back office: \(line)")
    }

    // MARK: - Running the steps

    /// Runs the request's remaining steps now, unless a run of it is under way.
    package func run(_ reference: String) async {
        guard !running.contains(reference) else { return }
        running.insert(reference)
        await runOnce(reference)
        running.remove(reference)
        if rerun.remove(reference) != nil { await run(reference) }
    }

    func runOnce(_ reference: String) async {
        let entry: BackOfficeJournal.Entry
        do {
            guard let found = try await journal.entry(reference), found.sealed != nil else { return }
            entry = found
        } catch {
            // A journal key that is not the one the entry was sealed with, or a damaged entry: said, and tried again later.
            logger.error(
                "back office: \(reference): the journal entry cannot be opened (is journalKeyFile the one it was written with?)")
            try? await journal.failed(reference, attempts: 9, error: "the journal entry cannot be opened")
            return
        }
        // A call that timed out, or whose process died, may still land after a look-up found nothing; so a tried step is
        // looked up only once such a call has either landed or been given up (three times the call timeout after it began).
        if let triedAt = entry.triedAt, entry.tried.contains(where: { entry.done[$0] == nil }),
            triedAt.addingTimeInterval(interruptedGrace) > Date()
        {
            try? await journal.later(reference, until: triedAt.addingTimeInterval(interruptedGrace))
            return
        }
        do {
            try await steps(entry)
        } catch let error as BackOfficeError {
            switch error.kind {
            case .credentials: await raise("credentials", "a back-office API refused the credentials: \(error.call)")
            case .catalogue: await raise("catalogue", error.description)
            default: break
            }
            // The fault first: a reader of the log line finds the fault in place.
            logger.warning("back office: \(reference): \(error.description)")
            // Read again for the attempt count: steps done in this run have reset it.
            let attempts = (try? await journal.entry(reference))?.attempts ?? entry.attempts
            try? await journal.failed(reference, attempts: attempts + 1, error: error.description)
        } catch {
            logger.warning("back office: \(reference): the journal: \(error)")
            try? await journal.failed(reference, attempts: entry.attempts + 1, error: "\(error)")
        }
    }

    /// Every request whose next attempt is due.
    package func runDue() async {
        for reference in (try? await journal.due()) ?? [] { await run(reference) }
    }

    func steps(_ entry: BackOfficeJournal.Entry) async throws {
        guard let sealed = entry.sealed else { return }
        if entry.kind == .contact {
            var entry = entry
            let fixed = entry
            _ = try await step(.contact, &entry) { _ in try await self.contact(fixed, zaak: fixed.done[.zaak], sealed) }
            try await journal.finish(entry.reference)
            return
        }
        let extract = config.extract
        let type = try await caseType(
            extract.zaaktype, statuses: [extract.received, extract.closed], documentType: extract.documentType)
        await wentThrough("catalogue")
        var entry = entry
        let fixed = entry
        let order = type.statusTypes.map(\.url)
        let zaak = try await step(.zaak, &entry) { tried in try await self.zaak(fixed, type, lookFirst: tried) }
        if let pdf = sealed.pdf, let documentType = type.documentType {
            let document = try await step(.document, &entry) { tried in
                try await self.document(fixed, pdf: pdf, type: documentType, language: sealed.language, lookFirst: tried)
            }
            _ = try await step(.link, &entry) { _ in try await self.link(zaak: zaak, document: document) }
        }
        _ = try await step(.rol, &entry) { _ in try await self.rol(zaak: zaak, type: type, sealed) }
        if let received = type.statusType(extract.received) {
            _ = try await step(.received, &entry) { _ in
                try await self.status(zaak: zaak, type: received, order: order, note: "Aangevraagd aan de zuil")
            }
        }
        _ = try await step(.contact, &entry) { _ in try await self.contact(fixed, zaak: zaak, sealed) }
        // A produced extract is closed once the kiosk fetched it to print; a queued one stays open for the back office.
        // Until the fetch, the worker leaves it be (`delivered` runs it); a document never fetched expires with the
        // kiosk's copy (the kiosk then hands the resident a receipt), and its case stays open for the back office.
        if sealed.pdf != nil && !entry.wantClosed && entry.done[.closed] == nil {
            let expiry = entry.createdAt.addingTimeInterval(CentralHandler.documentLifetime)
            if expiry > Date() {
                try await journal.later(entry.reference, until: expiry)
                return
            }
        } else if sealed.pdf != nil {
            if let closed = type.statusType(extract.closed) {
                _ = try await step(.closed, &entry) { _ in
                    try await self.status(zaak: zaak, type: closed, order: order, note: "Afgedrukt aan de zuil")
                }
            }
        }
        try await journal.finish(entry.reference)
    }

    /// Runs one step unless the journal has it done: marks it tried, does it, stores its URL.
    func step(
        _ step: BackOfficeJournal.Step, _ entry: inout BackOfficeJournal.Entry,
        _ work: @Sendable (_ tried: Bool) async throws -> String
    ) async throws -> String {
        if let url = entry.done[step] { return url }
        let tried = entry.tried.contains(step)
        try await journal.markTried(entry.reference, step)
        let url = try await work(tried)
        try await journal.markDone(entry.reference, step, url: url)
        // Done before the next call goes out, so that whoever sees that call sees the fault resolved.
        await wentThrough("credentials")
        entry.done[step] = url
        return url
    }

    static func today() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam") ?? .gmt
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}
