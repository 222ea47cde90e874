/// Faults about money: each names the kiosk reference, so staff can find the resident's request and the terminal's receipt.
extension Fault {
    /// The terminal could not say whether a card was charged, even when asked again. Never retried by the kiosk.
    public static func paymentUnknown(_ terminal: String, reference: String) -> Fault {
        Fault(
            device: terminal, code: "payment-unknown-\(reference)", severity: .critical, action: .maintenance,
            summary:
                "Betaalautomaat \(terminal): onbekend of betaling \(reference) is afgeschreven. Zoek de transactie op in het "
                + "journaal van de automaat; de kiosk rekent niet opnieuw af (kioskctl payment status).")
    }

    /// The central refused a paid request, and the money went back.
    public static func paymentReversed(_ terminal: String, reference: String) -> Fault {
        Fault(
            device: terminal, code: "payment-reversed-\(reference)", severity: .info, action: .clear,
            summary:
                "Betaalautomaat \(terminal): de aanvraag \(reference) is geweigerd en de betaling is teruggeboekt; laat de "
                + "bewoner dit weten.")
    }

    /// The central refused a paid request, and the terminal would not take the money back: staff must refund by hand.
    public static func paymentReversalFailed(_ terminal: String, reference: String) -> Fault {
        Fault(
            device: terminal, code: "payment-reversal-failed-\(reference)", severity: .critical, action: .maintenance,
            summary:
                "Betaalautomaat \(terminal): de aanvraag \(reference) is geweigerd, maar terugboeken lukte niet; betaal de "
                + "bewoner handmatig terug.")
    }

    /// The terminal's day totals differ from the central's record of the day.
    public static func dayClosureMismatch(_ terminal: String, day: String) -> Fault {
        Fault(
            device: terminal, code: "day-closure-mismatch-\(day)", severity: .critical, action: .maintenance,
            summary:
                "Betaalautomaat \(terminal): de dagafsluiting van \(day) wijkt af van de centrale administratie "
                + "(kioskctl payment close-day).")
    }
}
