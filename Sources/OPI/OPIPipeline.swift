public import NIOCore

/// Sets a channel up for OPI frames, as an async channel of whole messages (each a frame's payload).
public enum OPIPipeline {
    public static func configure(_ channel: any Channel, maximum: Int) -> EventLoopFuture<
        NIOAsyncChannel<ByteBuffer, ByteBuffer>
    > {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(OPIFrameDecoder(maximum: maximum)))
            try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(OPIFrameEncoder()))
            return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
        }
    }
}
