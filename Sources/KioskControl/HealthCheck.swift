public import KioskCore

/// One health check's finding (`kioskctl health`): what was looked at, whether it is fine, and the fault it raises or clears.
public struct HealthCheck: Codable, Sendable, Equatable {
    public var name: String
    public var ok: Bool
    public var detail: String
    /// Raised while the check fails.
    public var fault: Fault?
    /// Cleared while the check passes.
    public var clears: Fault?

    public init(name: String, ok: Bool, detail: String, fault: Fault? = nil, clears: Fault? = nil) {
        self.name = name
        self.ok = ok
        self.detail = detail
        self.fault = fault
        self.clears = clears
    }

    /// A check for one fault: raised when `failing`, cleared otherwise.
    public static func of(_ name: String, failing: Bool, detail: String, fault: Fault) -> HealthCheck {
        HealthCheck(name: name, ok: !failing, detail: detail, fault: failing ? fault : nil, clears: failing ? nil : fault)
    }
}

/// What `kioskctl health` gets back: every check, and the faults open after them.
public struct HealthReport: Codable, Sendable, Equatable {
    public var checks: [HealthCheck]
    public var faults: [FaultBook.Record]

    public init(checks: [HealthCheck], faults: [FaultBook.Record]) {
        self.checks = checks
        self.faults = faults
    }
}
