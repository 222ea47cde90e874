import MRTD
import Testing

/// Plays a card from recorded exchanges: each command must be exactly the expected one, or the test fails.
actor ReplayTransport: CardTransport {
    private var exchanges: [(command: [UInt8], response: [UInt8])]

    init(_ exchanges: [(String, String)]) {
        self.exchanges = exchanges.map { (Array(hex: $0.0)!, Array(hex: $0.1)!) }
    }

    var remaining: Int { exchanges.count }

    func transmit(_ command: [UInt8]) async throws(MRTDError) -> [UInt8] {
        guard !exchanges.isEmpty else { throw .transport("no more recorded exchanges for \(command.hex)") }
        let next = exchanges.removeFirst()
        #expect(command.hex == next.command.hex)
        return next.response
    }
}
