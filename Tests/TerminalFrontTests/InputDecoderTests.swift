import Testing

@testable import TerminalFront

@Suite struct InputDecoderTests {
    func decode(_ text: String) -> [TerminalInput] {
        var decoder = InputDecoder()
        return decoder.decode(Array(text.utf8))
    }

    @Test func textAndControlKeys() {
        #expect(
            decode("a1\r\u{7f}\t\u{3}") == [
                .key(.character("a")), .key(.character("1")), .key(.enter), .key(.backspace), .key(.tab), .key(.interrupt),
            ])
    }

    @Test func arrowsAndFunctionKeysInBothEncodings() {
        #expect(
            decode("\u{1b}[A\u{1b}OB\u{1b}[C\u{1b}[D\u{1b}[Z") == [
                .key(.up), .key(.down), .key(.right), .key(.left), .key(.backTab),
            ])
        #expect(
            decode("\u{1b}OQ\u{1b}[12~\u{1b}[13~\u{1b}OS\u{1b}[21~") == [
                .key(.function(2)), .key(.function(2)), .key(.function(3)), .key(.function(4)), .key(.function(10)),
            ])
    }

    @Test func loneEscapeIsTheEscapeKey() {
        #expect(decode("\u{1b}") == [.key(.escape)])
        #expect(decode("\u{1b}\u{1b}") == [.key(.escape), .key(.escape)])
    }

    @Test func sgrMousePressIsATouchAndReleaseIsIgnored() {
        #expect(decode("\u{1b}[<0;12;7M\u{1b}[<0;12;7m") == [.press(column: 12, row: 7)])
        #expect(decode("\u{1b}[<64;1;1M") == [], "the wheel is not a touch")
        #expect(decode("\u{1b}[<2;5;5M") == [], "the right button is not a touch")
    }

    @Test func sequencesSplitAcrossReadsAreJoined() {
        var decoder = InputDecoder()
        #expect(decoder.decode(Array("\u{1b}[<0;3".utf8)) == [])
        #expect(decoder.decode(Array("0;4M".utf8)) == [.press(column: 30, row: 4)])
        #expect(decoder.decode([0xC3]) == [])
        #expect(decoder.decode([0xA9]) == [.key(.character("é"))])
    }

    @Test func garbageIsDroppedNotTyped() {
        #expect(decode("\u{1b}[999;999;999;999X\u{1b}[<0;2M\u{1b}[<0;99999;1M\u{1b}[<0;0;0M") == [])
        #expect(decode("\u{0}\u{1}\u{2}\u{7}x") == [.key(.character("x"))])
        #expect(decode(String(decoding: [0xFF, 0xFE, 0x80, 0x41], as: UTF8.self)).last == .key(.character("A")))
        var decoder = InputDecoder()
        let endless = [UInt8](repeating: UInt8(ascii: "1"), count: 100)
        #expect(decoder.decode(Array("\u{1b}[".utf8) + endless.map { _ in UInt8(ascii: ";") }) == [])
        #expect(decoder.decode(Array("q".utf8)) == [.key(.character("q"))], "an overlong sequence does not swallow what follows")
    }
}
