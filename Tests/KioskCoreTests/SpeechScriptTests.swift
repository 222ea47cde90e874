import KioskTesting
import Testing

@testable import KioskCore

/// What is said for each screen: everything a sighted resident reads, in the screen's language, and personal data only
/// into a headset.
@Suite struct SpeechScriptTests {
    @Test(arguments: Language.allCases)
    func everyScreenIsSaidWholeInItsLanguage(language: Language) throws {
        let other: Language = language == .nl ? .en : .nl
        for (name, screen) in try ShippedScreens.all(language) {
            let said = SpeechScript.of(screen, privateAudio: false).text
            #expect(said.contains(screen.title), "\(name)")
            for paragraph in screen.body { #expect(said.contains(paragraph), "\(name)") }
            for (index, button) in screen.buttons.enumerated() {
                #expect(said.contains(UIText.spokenButton(index + 1, button.label)[language]), "\(name): \(button.label)")
            }
            for button in screen.chrome { #expect(said.contains(button.label), "\(name): \(button.label)") }
            // The kiosk's own spoken words are in the screen's language: none of the other's.
            let foreign = UIText.spokenButton(1, "x")[other].prefix(5)
            #expect(screen.buttons.isEmpty || !said.contains(String(foreign)), "\(name): \(foreign)")
            if let notice = screen.noticeText { #expect(said.contains(notice), "\(name)") }
            for fact in screen.keyFacts { #expect(said.contains(SpeechScript.spelled(fact.value)), "\(name)") }
        }
    }

    @Test func aNameAndABSNAreSaidOnlyIntoAHeadset() throws {
        var k = try Kiosk()
        k.beginExtract()
        try k.identifyWithPassport()
        #expect(k.step == "confirm")
        let loud = SpeechScript.of(k.screen, privateAudio: false).text
        let name = try #require(k.state.session.identity?.displayName)
        #expect(!loud.contains(name))
        #expect(!loud.contains("9 9 0") && !loud.contains("990"), "not even the BSN's last digits")
        #expect(loud.contains("Naam: wordt alleen in een koptelefoon voorgelezen."))
        let headset = SpeechScript.of(k.screen, privateAudio: true).text
        #expect(headset.contains(name))
        #expect(headset.contains("BSN: 9 9 0."), "the masked digits are not said")
        #expect(!headset.contains("*"))
    }

    @Test func typedCharactersAreCountedAloudAndSpelledIntoAHeadset() throws {
        var k = try Kiosk()
        k.press(.startFlow("pickup"))
        k.press(.next)
        k.send(.typed("K7QM"))
        #expect(SpeechScript.of(k.screen, privateAudio: false).text.contains("Afhaalcode: 4 tekens getypt."))
        #expect(SpeechScript.of(k.screen, privateAudio: true).text.contains("Afhaalcode: K 7 Q M."))
        k.press(.language)
        #expect(SpeechScript.of(k.screen, privateAudio: false).text.contains("Pickup code: 4 characters typed."))
    }

    @Test func theInactivityWarningIsSaidAlone() throws {
        var screen = Screen(language: .en, title: "Request a BRP extract")
        screen.warning = UIText.warning[.en]
        screen.buttons = [Screen.Button(action: .next, label: "Next")]
        #expect(
            SpeechScript.of(screen, privateAudio: false).sentences == [UIText.warning[.en], "Button 1: I'm still here."])
    }
}
