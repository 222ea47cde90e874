import CCups
import Foundation
import Glibc

/// The libcups calls the printer driver makes, each run on the ``CUPSThread``: submit a PDF, ask for a job's state, cancel.
/// Every failure is one line from `cupsLastErrorString`, cleaned of anything that is not printable.
enum CUPSQueue {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func lastError(_ during: String) -> Failure {
        let text = String(cString: cupsLastErrorString())
        let clean = String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
        let status = cupsLastError()
        let what =
            switch status {
            case IPP_STATUS_ERROR_NOT_FOUND: "no such queue"
            case IPP_STATUS_ERROR_SERVICE_UNAVAILABLE: "CUPS is not running or not reachable at \(String(cString: cupsServer()))"
            default: "IPP status 0x\(String(status.rawValue, radix: 16)): \(clean.prefix(200))"
            }
        return Failure(description: "\(during): \(what)")
    }

    /// A connection of its own to the server this thread was set to, so that "not running" and "no such queue" are told
    /// apart before a job is made (libcups' default connection reports both as a missing file).
    static func connect(queue: String) -> Result<OpaquePointer, Failure> {
        let host = String(cString: cupsServer())
        let server = host.hasPrefix("/") ? host : "\(host):\(ippPort())"
        guard let http = httpConnect2(host, ippPort(), nil, AF_UNSPEC, cupsEncryption(), 1, 5000, nil) else {
            return .failure(Failure(description: "CUPS is not running or not reachable at \(server)"))
        }
        httpSetTimeout(http, 30, nil, nil)
        guard let dest = cupsGetNamedDest(http, queue, nil) else {
            httpClose(http)
            return .failure(Failure(description: "CUPS at \(server) has no queue '\(queue)'"))
        }
        cupsFreeDests(1, dest)
        return .success(http)
    }

    /// Create-Job, Send-Document with the whole PDF, and returns the job id.
    static func submit(queue: String, title: String, pdf: Data) -> Result<Int32, Failure> {
        let http: OpaquePointer
        switch connect(queue: queue) {
        case .success(let connection): http = connection
        case .failure(let failure): return .failure(failure)
        }
        defer { httpClose(http) }
        let id = cupsCreateJob(http, queue, title, 0, nil)
        guard id > 0 else { return .failure(lastError("cupsCreateJob on \(queue)")) }
        guard cupsStartDocument(http, queue, id, "document.pdf", "application/pdf", 1) == HTTP_STATUS_CONTINUE else {
            _ = cupsCancelJob2(http, queue, id, 0)
            return .failure(lastError("cupsStartDocument"))
        }
        let written = pdf.withUnsafeBytes { bytes in
            cupsWriteRequestData(http, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), bytes.count)
        }
        guard written == HTTP_STATUS_CONTINUE else {
            _ = cupsCancelJob2(http, queue, id, 0)
            return .failure(lastError("cupsWriteRequestData"))
        }
        guard cupsFinishDocument(http, queue) == IPP_STATUS_OK else {
            return .failure(lastError("cupsFinishDocument"))
        }
        return .success(id)
    }

    /// The job's `job-state` from Get-Job-Attributes. `job-state-reasons` is not read: CUPS 2.4.2 says
    /// `processing-to-stop-point` even for completed jobs.
    ///
    /// Also the job's `job-printer-state-message`, which says why a job stopped (CUPS 2.4.2 leaves a job whose filter
    /// failed in `stopped`, with `job-completed-with-errors`).
    static func state(queue: String, job: Int32) -> Result<(ipp_jstate_t, String?), Failure> {
        let request = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nil, "ipp://localhost/printers/\(queue)")
        ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job)
        let names = ["job-state", "job-printer-state-message"]
        names.withCStringArray { pointers in
            _ = ippAddStrings(
                request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", Int32(names.count), nil, pointers)
        }
        guard let response = cupsDoRequest(nil, request, "/") else { return .failure(lastError("Get-Job-Attributes")) }
        defer { ippDelete(response) }
        guard let attribute = ippFindAttribute(response, "job-state", IPP_TAG_ENUM) else {
            return .failure(Failure(description: "Get-Job-Attributes: the answer has no job-state"))
        }
        let message = strings(response, "job-printer-state-message").first.map {
            String(String.UnicodeScalarView($0.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
        }
        return .success((ipp_jstate_t(rawValue: UInt32(ippGetInteger(attribute, 0))), message))
    }

    static func cancel(queue: String, job: Int32) {
        _ = cupsCancelJob2(nil, queue, job, 0)
    }
}

extension CUPSQueue {
    /// One look: the queue at CUPS (there? stopped? accepting? which device?), then the printer itself at its device URI.
    static func read(queue: String) -> PrinterReading {
        var reading = PrinterReading(reachable: false)
        reading.queue = queue
        let request = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nil, "ipp://localhost/printers/\(queue)")
        guard let response = cupsDoRequest(nil, request, "/") else {
            reading.cups = cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND ? .noQueue : .down
            return reading
        }
        defer { ippDelete(response) }
        if ippGetStatusCode(response) == IPP_STATUS_ERROR_NOT_FOUND {
            reading.cups = .noQueue
            return reading
        }
        guard ippGetStatusCode(response).rawValue < 0x0400 else { return reading }
        if let state = ippFindAttribute(response, "printer-state", IPP_TAG_ENUM) {
            reading.queueStopped = ippGetInteger(state, 0) == 5
        }
        if let accepting = ippFindAttribute(response, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN) {
            reading.queueAccepting = ippGetBoolean(accepting, 0) != 0
        }
        guard let uriAttribute = ippFindAttribute(response, "device-uri", IPP_TAG_URI),
            let uri = ippGetString(uriAttribute, 0, nil).map({ String(cString: $0) })
        else { return reading }
        reading.deviceURI = String(uri.prefix(200))
        if uri.hasPrefix("ipp://") || uri.hasPrefix("ipps://") {
            readDevice(uri, into: &reading)
        } else {
            // A USB or socket printer cannot be asked directly: the queue's view is all there is.
            reading.reachable = true
            reading.reasons = strings(response, "printer-state-reasons")
        }
        return reading
    }

    /// Get-Printer-Attributes on the printer itself; an answer that lacks the attributes counts as unreachable.
    static func readDevice(_ uri: String, into reading: inout PrinterReading) {
        guard let (http, resource) = PrinterIPP.connect(uri, timeout: 3) else { return }
        defer { httpClose(http) }
        let request = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nil, uri)
        let names = [
            "printer-state", "printer-state-reasons", "printer-supply", "printer-supply-description",
            "document-format-supported", "media-ready", "media-default", "printer-resolution-default",
        ]
        names.withCStringArray { pointers in
            _ = ippAddStrings(
                request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", Int32(names.count), nil, pointers)
        }
        guard let response = exchangeOnce(http, request, resource: resource) else { return }
        defer { ippDelete(response) }
        guard let state = ippFindAttribute(response, "printer-state", IPP_TAG_ENUM) else { return }
        reading.reachable = true
        reading.state = Int(ippGetInteger(state, 0))
        reading.reasons = strings(response, "printer-state-reasons")
        reading.formats = strings(response, "document-format-supported")
        reading.media = strings(response, "media-ready") + strings(response, "media-default")
        if let resolution = ippFindAttribute(response, "printer-resolution-default", IPP_TAG_RESOLUTION) {
            var vertical: Int32 = 0
            var units = IPP_RES_PER_INCH
            let horizontal = ippGetResolution(resolution, 0, &vertical, &units)
            let dpi = units == IPP_RES_PER_CM ? Double(horizontal) * 2.54 : Double(horizontal)
            // Printers print at 150 to 2400 dpi; anything else is not a resolution to align to.
            if (150...2400).contains(dpi) { reading.resolution = Int(dpi.rounded()) }
        }
        reading.supplies = PrinterReading.supplies(
            octets(response, "printer-supply"), descriptions: strings(response, "printer-supply-description"))
    }

    /// An octetString attribute's values as text (at most 32 of at most 256 bytes).
    static func octets(_ response: OpaquePointer, _ name: String) -> [String] {
        guard let attribute = ippFindAttribute(response, name, IPP_TAG_ZERO) else { return [] }
        return (0..<min(ippGetCount(attribute), 32)).compactMap { index in
            var length: Int32 = 0
            guard let bytes = ippGetOctetString(attribute, index, &length), length > 0 else { return nil }
            let buffer = UnsafeRawBufferPointer(start: bytes, count: Int(min(length, 256)))
            return String(decoding: buffer.filter { $0 >= 0x20 && $0 < 0x7F }, as: UTF8.self)
        }
    }

    /// One IPP request and its answer, with no retries. `cupsDoRequest` tries again after an answer it cannot parse, and a
    /// printer that answers garbage every time would hold the CUPS thread for ever; the printer is outside input.
    /// Frees `request`.
    static func exchangeOnce(_ http: OpaquePointer, _ request: OpaquePointer?, resource: String) -> OpaquePointer? {
        defer { ippDelete(request) }
        httpClearFields(http)
        httpSetField(http, HTTP_FIELD_CONTENT_TYPE, "application/ipp")
        httpSetLength(http, ippLength(request))
        guard httpPost(http, resource) == 0 else { return nil }
        // Every loop is bounded: libcups' state machines can sit in one state when the other side stops making sense.
        var state = IPP_STATE_IDLE
        for _ in 0..<1000 where state != IPP_STATE_DATA && state != IPP_STATE_ERROR { state = ippWrite(http, request) }
        guard state == IPP_STATE_DATA else { return nil }
        return readAnswer(http)
    }

    /// The answer to a request whose body is sent, with every loop bounded (a printer that trickles bytes or repeats
    /// itself cannot hold the CUPS thread); nil when there is no whole IPP answer.
    static func readAnswer(_ http: OpaquePointer) -> OpaquePointer? {
        var status = HTTP_STATUS_CONTINUE
        for _ in 0..<20 where status == HTTP_STATUS_CONTINUE { status = httpUpdate(http) }
        guard status == HTTP_STATUS_OK else { return nil }
        let response = ippNew()
        var read = IPP_STATE_IDLE
        for _ in 0..<10_000 where read != IPP_STATE_DATA && read != IPP_STATE_ERROR {
            let before = read
            read = ippRead(http, response)
            if read == before, read == IPP_STATE_IDLE { break }
        }
        guard read == IPP_STATE_DATA else {
            ippDelete(response)
            return nil
        }
        return response
    }

    static func strings(_ response: OpaquePointer, _ name: String) -> [String] {
        guard let attribute = ippFindAttribute(response, name, IPP_TAG_ZERO) else { return [] }
        // At most 32 reasons of at most 64 characters: an odd printer must not flood the status.
        return (0..<min(ippGetCount(attribute), 32)).compactMap { index in
            ippGetString(attribute, index, nil).map { String(String(cString: $0).prefix(64)) }
        }
    }
}

extension Array where Element == String {
    /// Calls `body` with a C array of the strings, valid only during the call.
    func withCStringArray<R>(_ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies = map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
