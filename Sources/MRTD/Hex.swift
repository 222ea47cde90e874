/// Hex for tests, logs of APDU shapes and the emulator's command line; never used on personal data in logs.
extension Array where Element == UInt8 {
    /// Parses hex digits, ignoring spaces; nil when a character is not a hex digit or the count is odd.
    public init?(hex: String) {
        let digits = hex.filter { !$0.isWhitespace }
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            guard let byte = UInt8(digits[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self = bytes
    }

    public var hex: String {
        let digits = Swift.Array<Character>("0123456789ABCDEF")
        var text = ""
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }
}
