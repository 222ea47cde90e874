/// The kiosk's own texts around a payment.
extension UIText {
    public static let cancelPayment = t("Betaling afbreken", "Cancel payment")
    public static let followTerminal = t(
        "Volg de aanwijzingen op de betaalautomaat.", "Follow the instructions on the payment terminal.")
    public static let paying = t("Betalen", "Payment")

    /// What went wrong, that nothing was charged, and what the resident can do now.
    public static func paymentFailed(_ outcome: PaymentOutcome, canRetry: Bool) -> LocalizedText {
        let what: LocalizedText =
            switch outcome {
            case .declined: t("De betaling is geweigerd.", "The payment was declined.")
            case .cancelled: t("De betaling is afgebroken.", "The payment was cancelled.")
            case .failed, .approved:
                t(
                    "De betaling is niet gelukt: de betaalautomaat gaf geen antwoord.",
                    "The payment failed: the payment terminal did not answer.")
            }
        let charged = t("Er is niets afgeschreven.", "Nothing was charged.")
        let next =
            canRetry
            ? t("Probeer het opnieuw, of roep een medewerker.", "Try again, or call a staff member.")
            : t("Een medewerker helpt u graag verder.", "A staff member is happy to help you.")
        return t(
            [what.nl, charged.nl, next.nl].joined(separator: " "), [what.en, charged.en, next.en].joined(separator: " "))
    }

    /// The terminal went silent after the card was used and could not tell afterwards. Never a second payment.
    public static func paymentUnconfirmed(reference: String) -> LocalizedText {
        t(
            "We weten niet zeker of uw betaling is gelukt. Betaal niet opnieuw: er wordt niets twee keer afgeschreven. "
                + "Meld u met referentie \(reference) bij de balie; een medewerker zoekt het voor u uit.",
            "We cannot tell whether your payment went through. Do not pay again: nothing will be charged twice. "
                + "Go to the counter with reference \(reference); a staff member will sort it out for you.")
    }

    /// The receipt's line for an approved payment.
    public static func paid(_ record: PaymentRecord) -> LocalizedText {
        let amount = fee(record.amountCents)
        return t("Betaald: \(amount.nl) (\(record.brand))", "Paid: \(amount.en) (\(record.brand))")
    }
}
