import HTTPTypes

/// The paths of kiosk-central's contract (Sources/CentralAPI/openapi.yaml) and the methods each declares, for 405 answers.
/// A test holds this table to the document.
enum ContractRoutes {
    static let table: [(template: String, methods: [HTTPRequest.Method])] = [
        ("/v1/catalog", [.get]),
        ("/v1/extract-requests", [.post]),
        ("/v1/documents/{documentId}", [.get]),
        ("/v1/pickups/{code}", [.get]),
        ("/v1/pickups/{code}/collect", [.post]),
        ("/v1/staff-calls", [.post]),
        ("/v1/kiosks/{kioskId}/heartbeat", [.post]),
        ("/v1/kiosks/{kioskId}/payments/{day}", [.get]),
        ("/v1/faults", [.post]),
        ("/v1/faults/{faultKey}/resolve", [.post]),
        ("/admin/pickups", [.post]),
        ("/admin/pickups/{code}/unlock", [.post]),
        ("/admin/cases", [.get]),
        ("/admin/faults", [.get]),
        ("/admin/behaviour", [.put]),
    ]

    /// Every property name the contract's schemas declare: none is nullable.
    static let propertyNames: Set<String> = [
        "action", "amountCents", "birthDate", "brand", "bsn", "bsnSource", "caseId", "clockSkewSeconds", "code", "count",
        "counter", "createdAt", "currency", "day", "detail", "device", "devices", "documentCode", "documentId", "documentKind",
        "documentNumber", "dropConnection", "en", "expiryDate", "feeCents", "firstSeen", "flow", "garbage", "givenNames", "hang",
        "id", "identity", "instance", "issuer", "key", "kioskId", "language", "latencyMillis", "locked", "nationality", "nl",
        "outboxBacklog", "outcome", "oversized", "pathPrefix", "payment", "personalNumber", "product", "products", "reference",
        "refuse", "resolvedAt", "sentAt", "severity", "sex", "state", "status", "step", "summary", "surname", "terminalId",
        "ticket", "time", "title", "transactionId", "type", "unavailableRetryAfter", "version",
    ]

    /// The methods the contract declares on this path, or nil when the path is not the contract's.
    static func methods(for path: String) -> [HTTPRequest.Method]? {
        let parts = path.split(separator: "?", maxSplits: 1)[0].split(separator: "/", omittingEmptySubsequences: true)
        for (template, methods) in table {
            let wanted = template.split(separator: "/")
            guard wanted.count == parts.count else { continue }
            if zip(wanted, parts).allSatisfy({ $0.hasPrefix("{") || $0 == $1 }) { return methods }
        }
        return nil
    }
}
