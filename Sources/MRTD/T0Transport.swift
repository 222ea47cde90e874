/// T=0 as ISO 7816-3 and -4 have it: a card on T=0 cannot send response data with the status of a case-4 command, so it
/// answers 61xx ("xx bytes waiting": fetch them with GET RESPONSE) or 6Cxx ("wrong Le: send again with Le = xx").
/// pcsc-lite passes those through, so this wrapper does the exchange; on T=1 it is never needed and costs nothing.
public struct T0Transport<Base: CardTransport>: CardTransport {
    let base: Base

    public init(_ base: Base) { self.base = base }

    public func transmit(_ command: [UInt8]) async throws(MRTDError) -> [UInt8] {
        var response = try await base.transmit(command)
        if response.count == 2, response[0] == 0x6C, command.count >= 5 {
            response = try await base.transmit(Array(command.dropLast()) + [response[1]])
        }
        var data: [UInt8] = []
        // At most 64 rounds: a card that keeps saying "more" is broken, not a long file.
        for _ in 0..<64 {
            guard response.count >= 2, response[response.count - 2] == 0x61 else { return data + response }
            data += response.dropLast(2)
            response = try await base.transmit([0x00, 0xC0, 0x00, 0x00, response[response.count - 1]])
        }
        throw .truncated("the card kept answering 61xx")
    }
}
