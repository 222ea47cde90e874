public enum Specimen {
    /// ICAO Doc 9303 part 4's TD3 specimen (Anna Maria Eriksson).
    public static let td3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
    /// ICAO Doc 9303 part 5's TD1 specimen, the same holder on an ID card.
    public static let td1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
    /// The TD3 specimen with its expiry moved to 2034-04-15 (check digits computed): a valid foreign passport, no BSN.
    public static let td3ValidTo2034 =
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F3404159ZE184226B<<<<<16"
    /// The Dutch 2014 specimen passport (Willeke Liselotte de Bruijn, BSN 999999990), expired on 2024-03-09.
    public static let nlPassport2014 =
        "P<NLDDE<BRUIJN<<WILLEKE<LISELOTTE<<<<<<<<<<<\nSPECI20142NLD6503101F2403096999999990<<<<<84"
    /// The same holder on a passport valid to 2035-03-09 (check digits computed).
    public static let nlPassport2035 =
        "P<NLDDE<BRUIJN<<WILLEKE<LISELOTTE<<<<<<<<<<<\nSPECI20256NLD6503101F3503096999999990<<<<<84"
    /// The Dutch 2021 specimen ID card, valid to 2031-08-02; the BSN follows the document number on line 1.
    public static let nlID2031 = "I<NLDSPECI20212999999990<<<<<<\n6503101F3108022NLD<<<<<<<<<<<2\nDE<BRUIJN<<WILLEKE<LISELOTTE<<"
    /// The BSN all three Dutch specimens carry.
    public static let nlBSN = "999999990"
}
