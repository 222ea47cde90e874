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

    /// What the narrator says as screens follow each other in speech mode: a new screen whole, a keystroke as the field
    /// alone, the volume as itself, nothing for a change nobody hears, and the whole screen again on the repeat key.
    @Test func aChangeSaysWhatChangedAndNoMore() throws {
        var k = try Kiosk()
        let home = k.screen
        #expect(SpeechScript.change(from: nil, to: home) == nil, "speech off: nothing")
        k.press(.readAloud)
        #expect(SpeechScript.change(from: home, to: k.screen) == SpeechScript.of(k.screen, privateAudio: false))
        k.press(.startFlow("extract-request"))
        k.press(.next)
        k.press(.option("standard"))
        var before = k.screen
        k.send(.speech(.louder))
        #expect(SpeechScript.change(from: before, to: k.screen)?.text == "Volume 6.")
        before = k.screen
        k.send(.speech(.repeatScreen))
        #expect(SpeechScript.change(from: before, to: k.screen) == SpeechScript.of(k.screen, privateAudio: false))
        before = k.screen
        k.send(.deviceStatus(.scanner, .online))
        #expect(SpeechScript.change(from: before, to: k.screen) == nil, "nothing that is said changed")
    }

    @Test func aKeystrokeIsTheFieldAloneAndTheBSNIsSpelledOnlyIntoAHeadset() throws {
        var k = try Kiosk()
        k.send(.headset(plugged: true))
        var state = k.state
        state.place = .step(flow: "extract-request", step: "bsn")
        let runner = try ShippedScreens.runner()
        let empty = runner.screen(for: state)
        state.input = "99"
        let typed = runner.screen(for: state)
        #expect(SpeechScript.change(from: empty, to: typed)?.text == "Burgerservicenummer: 9 9.")
        var loud = state
        loud.speech.headset = false
        loud.speech.on = true
        var loudEmpty = loud
        loudEmpty.input = ""
        #expect(
            SpeechScript.change(from: runner.screen(for: loudEmpty), to: runner.screen(for: loud))?.text
                == "Burgerservicenummer: 2 tekens getypt.")
    }

    /// The keypad's focus, said as it moves: a big button with its number, a bar button by its name, the field with what
    /// is in it; nothing when speech is off.
    @Test func theFocusIsSaidWhereItLands() throws {
        var k = try Kiosk()
        k.press(.readAloud)
        k.press(.startFlow("extract-request"))
        let screen = k.screen
        var focus = Focus.start(on: screen)
        #expect(SpeechScript.focus(focus, on: screen)?.text == "Knop 1: Verder.")
        focus.move(+1, on: screen)
        #expect(SpeechScript.focus(focus, on: screen)?.text == "Terug.")
        var silent = screen
        silent.speech.on = false
        #expect(SpeechScript.focus(focus, on: silent) == nil)
    }
}
