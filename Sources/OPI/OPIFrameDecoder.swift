public import NIOCore

/// OPI's framing on both channels: a 4-byte big-endian length, then that many bytes of XML.
///
/// A length over `maximum` is refused before a byte of it is buffered (a hostile peer cannot make the kiosk allocate), and a
/// connection that ends inside a frame is a truncated frame, not a message.
public struct OPIFrameDecoder: ByteToMessageDecoder, Sendable {
    public typealias InboundOut = ByteBuffer

    public let maximum: Int

    public init(maximum: Int = 64 * 1024) { self.maximum = maximum }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
            return .needMoreData
        }
        guard length > 0, Int(length) <= maximum else {
            throw OPIError(.badFrame, "a frame of \(length) bytes (at most \(maximum))")
        }
        guard buffer.readableBytes >= 4 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        context.fireChannelRead(wrapInboundOut(buffer.readSlice(length: Int(length))!))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState
    {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if buffer.readableBytes > 0 {
            let left = buffer.readableBytes
            buffer.moveReaderIndex(forwardBy: left)
            throw OPIError(.badFrame, "the connection ended inside a frame (\(left) bytes of it)")
        }
        return .needMoreData
    }
}

/// Puts the 4-byte length in front of each outgoing message.
public struct OPIFrameEncoder: MessageToByteEncoder, Sendable {
    public typealias OutboundIn = ByteBuffer

    public init() {}

    public func encode(data: ByteBuffer, out: inout ByteBuffer) throws {
        out.writeInteger(UInt32(data.readableBytes), endianness: .big)
        out.writeImmutableBuffer(data)
    }
}
