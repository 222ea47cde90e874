import CCups
import Foundation

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
    static func state(queue: String, job: Int32) -> Result<ipp_jstate_t, Failure> {
        let request = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nil, "ipp://localhost/printers/\(queue)")
        ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", nil, "job-state")
        guard let response = cupsDoRequest(nil, request, "/") else { return .failure(lastError("Get-Job-Attributes")) }
        defer { ippDelete(response) }
        guard let attribute = ippFindAttribute(response, "job-state", IPP_TAG_ENUM) else {
            return .failure(Failure(description: "Get-Job-Attributes: the answer has no job-state"))
        }
        return .success(ipp_jstate_t(rawValue: UInt32(ippGetInteger(attribute, 0))))
    }

    static func cancel(queue: String, job: Int32) {
        _ = cupsCancelJob2(nil, queue, job, 0)
    }
}
