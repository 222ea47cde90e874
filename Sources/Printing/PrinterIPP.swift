import CCups
import Foundation
import Glibc

/// IPP straight to the printer at the queue's device URI: the job the kiosk sends, and the printer's own account of it.
/// Each call opens its own connection with short timeouts and runs on the ``CUPSThread``; the printer is outside input, so
/// every answer is bounded (``CUPSQueue/exchangeOnce(_:_:resource:)``).
enum PrinterIPP {
    /// An answer from the printer that says what it is, or nil when it did not answer (down, link gone, garbage).
    enum Answer<T: Sendable>: Sendable {
        case answered(T)
        case silent
    }

    static let user = "kioskd"

    /// A connection to the printer at `uri`, with its resource path.
    static func connect(_ uri: String, timeout: Double) -> (http: OpaquePointer, resource: String)? {
        var scheme = [CChar](repeating: 0, count: 32)
        var username = [CChar](repeating: 0, count: 256)
        var host = [CChar](repeating: 0, count: 256)
        var resource = [CChar](repeating: 0, count: 1024)
        var port: Int32 = 0
        let separated = httpSeparateURI(
            HTTP_URI_CODING_ALL, uri, &scheme, 32, &username, 256, &host, 256, &port, &resource, 1024)
        guard separated.rawValue >= 0 else { return nil }
        let encryption = String(cString: scheme) == "ipps" ? HTTP_ENCRYPTION_ALWAYS : HTTP_ENCRYPTION_IF_REQUESTED
        guard let http = httpConnect2(host, port, nil, AF_UNSPEC, encryption, 1, Int32(timeout * 1000), nil) else {
            return nil
        }
        // A printer that accepts the connection and then says nothing must not hold the CUPS thread.
        httpSetTimeout(http, timeout, nil, nil)
        return (http, String(cString: resource))
    }

    static func request(_ operation: ipp_op_t, _ uri: String, job: Int32? = nil) -> OpaquePointer? {
        let request = ippNewRequest(operation)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nil, uri)
        if let job { ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job) }
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nil, user)
        return request
    }

    /// Create-Job: a job at the printer with nothing in it yet, so the kiosk knows its id before a byte of the document
    /// travels. `.silent` when the printer did not answer; a refusal is a ``CUPSQueue/Failure``.
    static func create(_ uri: String, name: String) -> Result<Answer<Int32>, CUPSQueue.Failure> {
        guard let (http, resource) = connect(uri, timeout: 5) else { return .success(.silent) }
        defer { httpClose(http) }
        let request = request(IPP_OP_CREATE_JOB, uri)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", nil, String(name.prefix(200)))
        guard let response = CUPSQueue.exchangeOnce(http, request, resource: resource) else { return .success(.silent) }
        defer { ippDelete(response) }
        let status = ippGetStatusCode(response)
        guard status.rawValue < 0x0100 else {
            return .failure(CUPSQueue.Failure(description: "the printer refused the job: \(statusText(response))"))
        }
        guard let id = ippFindAttribute(response, "job-id", IPP_TAG_INTEGER).map({ ippGetInteger($0, 0) }), id > 0 else {
            return .failure(CUPSQueue.Failure(description: "the printer's answer to Create-Job has no job-id"))
        }
        return .success(.answered(id))
    }

    /// Send-Document with the whole PDF as the last document. True when the printer took it; false when the printer
    /// refused it or the link failed, after which only ``account(_:job:)`` can say what became of the job.
    static func send(_ uri: String, job: Int32, pdf: Data) -> Bool {
        guard let (http, resource) = connect(uri, timeout: 30) else { return false }
        defer { httpClose(http) }
        let request = request(IPP_OP_SEND_DOCUMENT, uri, job: job)
        defer { ippDelete(request) }
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_MIMETYPE, "document-format", nil, "application/pdf")
        ippAddBoolean(request, IPP_TAG_OPERATION, "last-document", 1)
        // Chunked (CUPS_LENGTH_VARIABLE), as IPP Everywhere requires printers to take: with a Content-Length, ippeveprinter
        // 2.4 kept a cut-off PDF and read its tail as the next request.
        guard cupsSendRequest(http, request, resource, 0) == HTTP_STATUS_CONTINUE else { return false }
        let written = pdf.withUnsafeBytes { bytes in
            cupsWriteRequestData(http, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), bytes.count)
        }
        // The last chunk, then the answer read with bounded loops (cupsGetResponse would wait as long as the printer trickles).
        guard written == HTTP_STATUS_CONTINUE, httpWrite2(http, "", 0) >= 0, httpFlushWrite(http) >= 0,
            let response = CUPSQueue.readAnswer(http)
        else { return false }
        defer { ippDelete(response) }
        return ippGetStatusCode(response).rawValue < 0x0100
    }

    /// The printer's account of job `job`: `.silent` when it did not answer, nil inside when it answered that it has no such
    /// job (it restarted and forgot it).
    static func account(_ uri: String, job: Int32) -> Answer<JobAccount?> {
        guard let (http, resource) = connect(uri, timeout: 3) else { return .silent }
        defer { httpClose(http) }
        let request = request(IPP_OP_GET_JOB_ATTRIBUTES, uri, job: job)
        let names = ["job-state", "job-state-reasons", "job-impressions-completed", "job-media-sheets-completed"]
        names.withCStringArray { pointers in
            _ = ippAddStrings(
                request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", Int32(names.count), nil, pointers)
        }
        guard let response = CUPSQueue.exchangeOnce(http, request, resource: resource) else { return .silent }
        defer { ippDelete(response) }
        if ippGetStatusCode(response) == IPP_STATUS_ERROR_NOT_FOUND { return .answered(nil) }
        guard let state = ippFindAttribute(response, "job-state", IPP_TAG_ENUM) else { return .silent }
        func count(_ name: String) -> Int {
            ippFindAttribute(response, name, IPP_TAG_INTEGER).map { Int(max(0, ippGetInteger($0, 0))) } ?? 0
        }
        return .answered(
            JobAccount(
                state: Int(ippGetInteger(state, 0)), reasons: CUPSQueue.strings(response, "job-state-reasons"),
                impressions: count("job-impressions-completed"), sheets: count("job-media-sheets-completed")))
    }

    /// Cancel-Job at the printer; whether it took is read from the job's account afterwards.
    static func cancel(_ uri: String, job: Int32) {
        guard let (http, resource) = connect(uri, timeout: 3) else { return }
        defer { httpClose(http) }
        if let response = CUPSQueue.exchangeOnce(http, request(IPP_OP_CANCEL_JOB, uri, job: job), resource: resource) {
            ippDelete(response)
        }
    }

    static func statusText(_ response: OpaquePointer) -> String {
        let status = ippGetStatusCode(response)
        let message = CUPSQueue.strings(response, "status-message").first.map { ": \($0)" } ?? ""
        return String(cString: ippErrorString(status)) + message
    }
}
