import KioskCore
import Testing

@testable import TerminalFront

@Suite struct TerminalControllerTests {
    static func choice() -> Screen {
        var screen = Screen(language: .nl, title: "Uittreksel")
        screen.body = ["Welk uittreksel hebt u nodig?"]
        screen.buttons = [
            .init(action: .option("standard"), label: "Standaard"), .init(action: .option("history"), label: "Met historie"),
        ]
        screen.chrome = [.init(action: .back, label: "Terug"), .init(action: .language, label: "English")]
        return screen
    }

    static func input() -> Screen {
        var screen = Screen(language: .nl, title: "BSN")
        screen.input = .init(label: "Burgerservicenummer", value: "12", keyboard: .bsn)
        screen.buttons = [.init(action: .submitInput, label: "Verder")]
        screen.chrome = [.init(action: .back, label: "Terug"), .init(action: .stop, label: "Stoppen")]
        return screen
    }

    @Test func digitsPressNumberedButtonsAndKeysMapToChrome() {
        var c = TerminalController()
        _ = c.show(Self.choice())
        #expect(c.handle(.key(.character("2"))) == .event(.action(.option("history"))))
        #expect(c.handle(.key(.character("3"))) == .nothing)
        #expect(c.handle(.key(.escape)) == .event(.action(.back)))
        #expect(c.handle(.key(.function(2))) == .event(.action(.language)))
        #expect(c.handle(.key(.function(4))) == .nothing, "stop is not on this screen")
    }

    @Test func focusMovesAndEnterPressesTheFocusedButton() {
        var c = TerminalController()
        _ = c.show(Self.choice())
        #expect(c.handle(.key(.enter)) == .event(.action(.option("standard"))))
        #expect(c.handle(.key(.down)) == .redraw)
        #expect(c.handle(.key(.enter)) == .event(.action(.option("history"))))
        _ = c.handle(.key(.tab))
        _ = c.handle(.key(.tab))
        _ = c.handle(.key(.tab))
        #expect(c.handle(.key(.enter)) == .event(.action(.option("standard"))), "focus wraps around")
    }

    @Test func inAnInputFieldDigitsAreTypedAndEnterSubmits() {
        var c = TerminalController()
        _ = c.show(Self.input())
        #expect(c.handle(.key(.character("3"))) == .event(.typed("3")))
        #expect(c.handle(.key(.backspace)) == .event(.erase))
        #expect(c.handle(.key(.enter)) == .event(.action(.submitInput)))
        #expect(c.handle(.key(.function(4))) == .event(.action(.stop)))
        #expect(c.handle(.key(.function(6))) == .event(.speech(.repeatScreen)), "says the screen again")
        #expect(c.handle(.key(.function(7))) == .event(.speech(.softer)))
        #expect(c.handle(.key(.function(8))) == .event(.speech(.louder)))
    }

    @Test func aClickOnAButtonPressesIt() {
        var c = TerminalController()
        let frame = c.show(Self.choice())
        let history = frame.hits.first { $0.action == .option("history") }!
        #expect(
            c.handle(.press(column: history.columns.lowerBound + 2, row: history.rows.upperBound))
                == .event(.action(.option("history"))))
        let english = frame.hits.first { $0.action == .language }!
        #expect(c.handle(.press(column: english.columns.lowerBound, row: english.rows.lowerBound)) == .event(.action(.language)))
        #expect(c.handle(.press(column: 1, row: 1)) == .nothing)
    }

    @Test func theWarningTakesEnterAndClicksAnywhereOnIt() {
        var c = TerminalController()
        var screen = Self.input()
        screen.warning = "Bent u er nog?"
        let frame = c.show(screen)
        #expect(frame.hits.count == 1)
        #expect(c.handle(.key(.enter)) == .event(.action(.keepGoing)))
        let box = frame.hits[0]
        #expect(c.handle(.press(column: box.columns.lowerBound, row: box.rows.lowerBound)) == .event(.action(.keepGoing)))
    }

    @Test func resizeRedrawsAtTheNewSize() throws {
        var c = TerminalController()
        _ = c.show(Self.choice())
        let resized = c.resize(width: 40, height: 12)
        let frame = try #require(resized)
        #expect(frame.rows.count == 12)
        #expect(frame.rows.allSatisfy { $0.count <= 40 })
        #expect(frame.rows.last?.contains("Terug") == true)
    }
}

@Suite struct TerminalRendererTests {
    @Test func everyPartOfTheScreenIsDrawn() {
        var screen = TerminalControllerTests.input()
        screen.banner = "Geen verbinding"
        screen.notice = .error(LocalizedText(nl: "Een BSN heeft 9 cijfers.", en: "A BSN has 9 digits."))
        screen.progress = "Stap 3 van 8"
        screen.summary = [.init(label: "Naam", value: "Anna")]
        let frame = TerminalRenderer.render(screen, focus: nil, width: 80, height: 30)
        let text = frame.rows.joined(separator: "\n")
        for part in [
            "BSN", "Stap 3 van 8", "Geen verbinding", "Burgerservicenummer", "[ 12█", "! Een BSN heeft 9 cijfers.", "1  Verder",
            "Esc Terug", "F4 Stoppen", "Naam: Anna",
        ] {
            #expect(text.contains(part), "missing \(part)")
        }
    }

    @Test func aSmallTerminalGetsOneLineButtonsAndNothingOutside() {
        let frame = TerminalRenderer.render(TerminalControllerTests.choice(), focus: 0, width: 30, height: 9)
        #expect(frame.rows.count == 9)
        #expect(frame.rows.allSatisfy { $0.count <= 30 })
        #expect(frame.rows.contains { $0.contains("[1  Standaard]") })
        #expect(frame.hits.allSatisfy { $0.rows.upperBound <= 9 && $0.columns.upperBound <= 30 })
    }

    @Test func controlCharactersInTextsNeverReachTheTerminal() {
        var screen = Screen(language: .nl, title: "x\u{1b}[2J")
        screen.body = ["a\u{7}b"]
        let frame = TerminalRenderer.render(screen, focus: nil, width: 40, height: 10)
        #expect(!frame.rows.joined().contains("\u{1b}"))
        #expect(!frame.text.contains("\u{1b}[2J"))
    }

    @Test func wrapKeepsWordsAndCutsOverlongOnes() {
        #expect(TerminalRenderer.wrap("een twee drie vier", 9) == ["een twee", "drie vier"])
        #expect(TerminalRenderer.wrap("abcdefghijklmnop", 8) == ["abcdefgh", "ijklmnop"])
    }
}
