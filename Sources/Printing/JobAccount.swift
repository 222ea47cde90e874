public import KioskCore

/// The printer's own account of one job (IPP Get-Job-Attributes on the printer, not on CUPS), and the outcome it means.
/// Pure, so the mapping is tested without a printer.
public struct JobAccount: Sendable, Equatable {
    /// `job-state`: 3 pending, 4 held, 5 processing, 6 stopped, 7 canceled, 8 aborted, 9 completed.
    public var state: Int
    /// `job-state-reasons`, at most 32 of at most 64 characters.
    public var reasons: [String]
    /// `job-impressions-completed` and `job-media-sheets-completed`: whether anything came out before an abort.
    public var impressions: Int
    public var sheets: Int

    public init(state: Int, reasons: [String] = [], impressions: Int = 0, sheets: Int = 0) {
        self.state = state
        self.reasons = reasons
        self.impressions = impressions
        self.sheets = sheets
    }

    /// Nil while the job is not in a final state. Completed is printed, unless the printer says it completed with errors;
    /// canceled or aborted is not printed, unless sheets came out first, when only the tray can tell.
    public var outcome: PrintResult? {
        switch state {
        case 9: reasons.contains("job-completed-with-errors") ? .unknown : .printed
        case 7, 8: impressions > 0 || sheets > 0 ? .unknown : .failed
        default: nil
        }
    }

    /// One line for technicians: the state's name and the reasons that say something.
    public var summary: String {
        let names = [3: "pending", 4: "held", 5: "processing", 6: "stopped", 7: "canceled", 8: "aborted", 9: "completed"]
        let said = reasons.filter { $0 != "none" }
        return (names[state] ?? "state \(state)") + (said.isEmpty ? "" : " (\(said.joined(separator: ", ")))")
            + (impressions > 0 ? ", \(impressions) impressions" : "")
    }
}
