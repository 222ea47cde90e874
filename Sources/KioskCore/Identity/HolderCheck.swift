/// Whether the resident at the kiosk is the one who applied for the document waiting at the desk: the rule every central
/// applies to a collect call.
///
/// The chip's BSN (a Dutch document carries it in the MRZ's personal number) must be the applicant's, and the birth dates
/// must agree. Surname and birth date alone are not enough: anyone can program a chip with another person's name. A foreign
/// document carries no BSN, so it never matches, and the resident is sent to the counter.
public enum HolderCheck {
    /// Failed checks after which the central locks the pickup code until staff unlock it.
    public static let lockAfter = 5

    public static func matches(applicantBSN: String?, applicantBirthDate: String, identity: Identity) -> Bool {
        guard let applicantBSN, let chip = identity.bsn else { return false }
        return chip.digits == applicantBSN && identity.birthDate == applicantBirthDate
    }
}
