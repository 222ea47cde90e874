import Testing

@testable import KioskCore

@Suite struct BSNTests {
    @Test(arguments: ["111222333", "123456782", "1234.56.782", "12345672", " 123 456 782 "])
    func validNumbersPassTheElevenCheck(_ text: String) throws {
        let bsn = try BSN(text)
        #expect(bsn.digits.count == 9)
    }

    @Test(arguments: ["123456789", "111222334", "12345678", "000000000", "999999999"])
    func numbersFailingTheElevenCheckAreRefused(_ text: String) {
        #expect(throws: BSN.Problem.failsElevenCheck) { try BSN(text) }
    }

    @Test(arguments: ["", "12345", "1234567890", "12a456782", "١٢٣٤٥٦٧٨٢"])
    func anythingButNineDigitsIsRefused(_ text: String) {
        #expect(throws: BSN.Problem.notNineDigits) { try BSN(text) }
    }

    @Test func eightDigitNumbersGetTheirLeadingZero() throws {
        #expect(try BSN("12345672").digits == "012345672")
    }

    @Test func descriptionNeverShowsTheNumber() throws {
        let bsn = try BSN("123456782")
        #expect(!"\(bsn)".contains("782"))
        #expect(!String(reflecting: bsn).contains("782"))
        #expect(bsn.masked == "******782")
    }
}

@Suite struct ValidatorTests {
    @Test func pickupCodesIgnoreCaseSpacesAndDash() throws {
        #expect(try PickupCode("k7qm-3xpa").value == "K7QM3XPA")
        #expect(try PickupCode("K7QM 3XPA").formatted == "K7QM-3XPA")
        #expect(throws: PickupCode.Problem.wrongLength) { try PickupCode("K7QM3XP") }
        #expect(throws: PickupCode.Problem.badCharacter) { try PickupCode("K7QM3XP0") }
        #expect(throws: PickupCode.Problem.badCharacter) { try PickupCode("K7QM3XPI") }
    }

    @Test func datesMustExistOnTheCalendar() {
        #expect(CalendarDate(typed: "29-02-2024")?.mrz == "240229")
        #expect(CalendarDate(typed: "29-02-2023") == nil)
        #expect(CalendarDate(typed: "31-04-2000") == nil)
        #expect(CalendarDate(typed: "06081969")?.display == "06-08-1969")
        #expect(CalendarDate(typed: "6-8-1969") == nil)
        #expect(CalendarDate(typed: "00-01-2000") == nil)
        #expect(CalendarDate(typed: "01-13-2000") == nil)
        #expect(CalendarDate(typed: "29-02-1900") == nil)
        #expect(CalendarDate(typed: "29-02-2000") != nil)
    }
}
