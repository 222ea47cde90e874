/// The kiosk's own texts: buttons, errors and prompts that are the same in every flow. Flow texts live in `Flows/`.
public enum UIText {
    static func t(_ nl: String, _ en: String) -> LocalizedText { LocalizedText(nl: nl, en: en) }

    // MARK: - Chrome and buttons
    public static let back = t("Terug", "Back")
    public static let stop = t("Stoppen", "Stop")
    public static let switchLanguage = t("English", "Nederlands")
    public static let callStaff = t("Medewerker roepen", "Call staff")
    public static let readAloud = t("Voorlezen", "Read aloud")
    public static let stopReading = t("Niet voorlezen", "Stop reading")
    public static let next = t("Verder", "Next")
    public static let confirm = t("Klopt, verder", "Correct, continue")
    public static let retry = t("Opnieuw proberen", "Try again")
    public static let finish = t("Klaar", "Finish")
    public static let keepGoing = t("Ik ben er nog", "I'm still here")
    public static let submitInput = t("Verder", "Next")

    // MARK: - Home and out of order
    public static let homeTitle = t("Welkom bij de Stadswinkel", "Welcome to the city office")
    public static let homeBody = t("Kies wat u wilt doen.", "Choose what you want to do.")
    public static let outOfOrderTitle = t("Buiten gebruik", "Out of order")
    public static let outOfOrderBody = t(
        "Deze zuil is nu buiten gebruik. Ga naar de balie, daar helpen we u graag.",
        "This terminal is out of order. Please go to the counter, we are happy to help you there.")

    // MARK: - Session
    public static let warning = t(
        "Bent u er nog? Zonder reactie stoppen we zo en wissen we uw gegevens.",
        "Are you still there? Without a response we will stop shortly and erase your details.")
    public static let offlineBanner = t(
        "Geen verbinding met de gemeente. Uw aanvraag wordt bewaard en later verstuurd.",
        "No connection to the municipality. Your request is kept and sent later.")
    public static let waiting = t("Een moment geduld…", "One moment please…")
    public static let printing = t("Bezig met afdrukken…", "Printing…")
    public static let printFailed = t(
        "Afdrukken is niet gelukt. Probeer het opnieuw of roep een medewerker.",
        "Printing failed. Try again or call a staff member.")
    /// The request itself is safe (it was stored before anything was printed): the resident can leave with the reference.
    public static func printFailed(reference: String) -> LocalizedText {
        t(
            "Afdrukken is niet gelukt. Uw aanvraag is wel ontvangen, met referentie \(reference). Probeer het opnieuw, "
                + "of meld u met deze referentie bij de balie.",
            "Printing failed. Your request was received, with reference \(reference). Try again, or go to the counter "
                + "with this reference.")
    }
    public static let printUnconfirmed = t(
        "We konden niet nagaan of uw afdruk is gelukt. Kijk niet zelf in de printer; een medewerker aan de balie helpt u.",
        "We could not confirm that your document printed. Please do not open the printer; a staff member at the counter "
            + "will help you.")
    /// The printer went away mid-job: it may or may not have printed. Never retried, which could print it twice.
    public static func printUnconfirmed(reference: String) -> LocalizedText {
        t(
            "We konden niet nagaan of uw afdruk is gelukt. Uw aanvraag is wel ontvangen, met referentie \(reference). "
                + "Meld u met deze referentie bij de balie; een medewerker kijkt bij de printer.",
            "We could not confirm that your document printed. Your request was received, with reference \(reference). "
                + "Go to the counter with this reference; a staff member will check the printer.")
    }
    // MARK: - Speech
    public static func spokenButton(_ n: Int, _ label: String) -> LocalizedText {
        t("Knop \(n): \(label).", "Button \(n): \(label).")
    }
    public static func spokenAlso(_ labels: [String]) -> LocalizedText {
        t("Verder onderaan: \(labels.joined(separator: ", ")).", "At the bottom: \(labels.joined(separator: ", ")).")
    }
    public static let spokenOnlyInHeadset = t(
        "wordt alleen in een koptelefoon voorgelezen", "is read out only into headphones")
    public static func spokenTyped(_ count: Int) -> LocalizedText {
        t(
            count == 1 ? "1 teken getypt" : "\(count) tekens getypt",
            count == 1 ? "1 character typed" : "\(count) characters typed")
    }
    public static let spokenEmpty = t("nog leeg", "still empty")
    public static let spokenError = t("Let op:", "Please note:")
    public static func spokenVolume(_ volume: Int) -> LocalizedText { t("Volume \(volume).", "Volume \(volume).") }

    // MARK: - What a done screen asks the resident to remember
    public static let counterLabel = t("Balie", "Counter")
    public static let ticketLabel = t("Uw volgnummer", "Your number")
    public static let caseLabel = t("Zaaknummer", "Case number")
    public static let referenceLabel = t("Referentie", "Reference")

    /// The title of a screen where something did not work: what failed, not what was being done.
    public static let printFailedTitle = t("Afdrukken is niet gelukt", "Printing failed")
    public static let printUnconfirmedTitle = t("Afdruk niet bevestigd", "Print not confirmed")
    public static let notSentTitle = t("Niet verstuurd", "Not sent")
    public static let notTaken = t(
        "Uw aanvraag kan nu niet worden aangenomen. Er is niets verstuurd. Een medewerker helpt u graag.",
        "Your request cannot be taken right now. Nothing was sent. A staff member is happy to help you.")
    public static func step(_ n: Int, of total: Int) -> LocalizedText { t("Stap \(n) van \(total)", "Step \(n) of \(total)") }

    // MARK: - Validation
    public static let bsnLength = t("Een BSN heeft 9 cijfers.", "A BSN has 9 digits.")
    public static let bsnCheck = t(
        "Dit is geen geldig BSN. Controleer de cijfers.", "This is not a valid BSN. Please check the digits.")
    public static let pickupLength = t(
        "De afhaalcode heeft 8 tekens, zoals K7QM-3XPA.", "The pickup code has 8 characters, like K7QM-3XPA.")
    public static let pickupCharacters = t(
        "De afhaalcode bevat alleen letters en de cijfers 2 tot en met 9.",
        "The pickup code only has letters and the digits 2 to 9.")
    public static let badDate = t(
        "Dit is geen geldige datum. Typ dag, maand en jaar: DD-MM-JJJJ.",
        "This is not a valid date. Type day, month and year: DD-MM-YYYY.")

    // MARK: - Identify
    public static let documentNumber = t("Documentnummer", "Document number")
    public static let birthDate = t("Geboortedatum (DD-MM-JJJJ)", "Date of birth (DD-MM-YYYY)")
    public static let expiryDate = t("Geldig tot (DD-MM-JJJJ)", "Valid until (DD-MM-YYYY)")
    public static let badDocumentNumber = t(
        "Een documentnummer heeft 6 tot 22 letters en cijfers.", "A document number has 6 to 22 letters and digits.")
    public static let scanOrType = t(
        "Scan de pagina met uw foto, of typ de gegevens van uw document.",
        "Scan the page with your photo, or type the details of your document.")
    public static let badScan = t(
        "De scan is niet goed gelezen. Scan opnieuw of typ de gegevens.",
        "The scan could not be read. Scan again or type the details.")
    public static let placeDocument = t(
        "Leg uw document op de kaartlezer en laat het liggen.", "Place your document on the card reader and leave it there.")
    public static let reading = t("Uw document wordt gelezen. Niet wegnemen…", "Reading your document. Do not remove it…")
    public static let cardOnReader = t("Uw document ligt op de lezer.", "Your document is on the reader.")
    public static let accessDenied = t(
        "De gegevens passen niet bij dit document. Controleer ze en probeer opnieuw.",
        "The details do not match this document. Check them and try again.")
    public static let cardRemoved = t(
        "Het document werd te vroeg weggenomen. Leg het terug op de lezer.",
        "The document was removed too early. Place it back on the reader.")
    public static let unreadable = t(
        "De chip kon niet worden gelezen. Leg het document opnieuw op de lezer.",
        "The chip could not be read. Place the document on the reader again.")
    public static let canLabel = t("Kaartnummer (CAN, 6 cijfers)", "Card access number (CAN, 6 digits)")
    public static let canNeeded = t(
        "Uw document vraagt om het kaartnummer (CAN).", "Your document asks for its card access number (CAN).")
    public static let canExplained = t(
        "Typ de 6 cijfers van het kaartnummer (CAN). U vindt ze op de voorkant van uw identiteitskaart, rechtsonder.",
        "Type the 6 digits of the card access number (CAN). You find them on the front of your ID card, bottom right.")
    public static let badCAN = t("Het kaartnummer (CAN) heeft 6 cijfers.", "The card access number (CAN) has 6 digits.")
    public static let wrongCAN = t(
        "Dit kaartnummer (CAN) past niet bij het document. Controleer het en probeer opnieuw.",
        "This card access number (CAN) does not match the document. Check it and try again.")
    public static let tooManyFailures = t(
        "Het lukt niet om uw document te controleren. Een medewerker helpt u graag verder.",
        "We could not check your document. A staff member is happy to help you.")

    public static let refusedTitle = t("Ga naar de balie", "Please go to the counter")
    /// The standard text for a document the kiosk does not accept; a flow may word its own (`refusals:`).
    public static func refusal(_ why: Refusal) -> LocalizedText {
        switch why {
        case .expired:
            t(
                "Uw document is verlopen. Met een verlopen document kunt u dit hier niet regelen. Aan de balie helpen we u verder.",
                "Your document has expired. You cannot do this here with an expired document. We can help you at the counter.")
        case .bsnMismatch:
            t(
                "Het burgerservicenummer hoort niet bij dit document. We hebben niets verstuurd. Aan de balie helpen we u verder.",
                "The citizen service number does not belong to this document. Nothing was sent. We can help you at the counter.")
        case .dataAltered:
            t(
                "De gegevens in de chip kloppen niet met de handtekening van de uitgever. Aan de balie bekijken we uw document.",
                "The data in the chip does not match the issuer's signature. At the counter we will look at your document.")
        case .unknownIssuer:
            t(
                "Dit document kunnen we hier niet controleren. Aan de balie helpen we u verder.",
                "We cannot check this document here. We can help you at the counter.")
        case .unverified:
            t(
                "We konden niet nagaan of uw document echt is. Aan de balie helpen we u verder.",
                "We could not check that your document is genuine. We can help you at the counter.")
        case .cloneSuspected:
            t(
                "De chip van uw document kon niet worden gecontroleerd. Dat kan aan de chip liggen. Aan de balie helpen we u verder.",
                "The chip of your document could not be checked. This may be a fault in the chip. We can help you at the counter."
            )
        case .tooManyCodes:
            t(
                "We vinden geen document bij deze codes. Neem uw brief mee naar de balie, daar helpen we u verder.",
                "We cannot find a document for these codes. Bring your letter to the counter, where we can help you.")
        case .pickupLocked:
            t(
                "Dit document kunt u alleen aan de balie ophalen. Neem uw brief en uw huidige document mee.",
                "You can only collect this document at the counter. Bring your letter and your current document.")
        }
    }

    // MARK: - Summary labels
    public static func label(_ field: SummaryField) -> LocalizedText {
        switch field {
        case .product: t("Product", "Product")
        case .fee: t("Kosten", "Fee")
        case .name: t("Naam", "Name")
        case .bsn: t("BSN", "BSN")
        case .document: t("Document", "Document")
        case .pickupDocument: t("Af te halen", "To collect")
        }
    }

    /// "€ 14,40" in Dutch, "€14.40" in English.
    public static func fee(_ cents: Int) -> LocalizedText {
        let euros = cents / 100
        let rest = cents % 100
        let two = rest < 10 ? "0\(rest)" : "\(rest)"
        return t("€ \(euros),\(two)", "€\(euros).\(two)")
    }

    /// Names for what a central lookup says a pickup is.
    public static func documentKind(_ code: String) -> LocalizedText {
        switch code {
        case "passport": t("Paspoort", "Passport")
        case "idCard": t("Identiteitskaart", "ID card")
        case "drivingLicence": t("Rijbewijs", "Driving licence")
        default: t(code, code)
        }
    }
}
