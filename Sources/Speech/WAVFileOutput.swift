import Foundation
import Glibc

/// Every utterance, one after the other, into one WAV file (RIFF, 16-bit PCM, mono). The header's sizes are brought up to
/// date after each utterance, so the file is a valid WAV whenever it is read between them.
public final class WAVFileOutput: AudioOutput {
    public let path: String
    private var fd: Int32 = -1
    private var sampleRate = 0
    private var dataBytes = 0

    public init(path: String) {
        self.path = path
    }

    deinit { if fd >= 0 { close(fd) } }

    public func start(sampleRate: Int) throws(SpeechError) {
        if fd >= 0, sampleRate == self.sampleRate { return }
        if fd >= 0 { close(fd) }
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SpeechError(.device, "\(path): \(String(cString: strerror(errno)))") }
        self.sampleRate = sampleRate
        dataBytes = 0
        try put(Self.header(sampleRate: sampleRate, dataBytes: 0), at: 0)
    }

    public func write(_ samples: UnsafeBufferPointer<Int16>) throws(SpeechError) {
        guard fd >= 0 else { throw SpeechError(.output, "\(path) is not open") }
        // WAV is little-endian, as is every machine kioskd runs on.
        let bytes = UnsafeRawBufferPointer(samples)
        try put(Array(bytes), at: 44 + dataBytes)
        dataBytes += bytes.count
    }

    public func finish(interrupted: Bool) {
        guard fd >= 0 else { return }
        try? put(Self.header(sampleRate: sampleRate, dataBytes: dataBytes), at: 0)
    }

    private func put(_ bytes: [UInt8], at offset: Int) throws(SpeechError) {
        var done = 0
        while done < bytes.count {
            let written = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress! + done, bytes.count - done, off_t(offset + done)) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw SpeechError(.output, "\(path): \(String(cString: strerror(errno)))") }
            done += written
        }
    }

    /// The 44-byte header of a PCM WAV file with `dataBytes` of 16-bit mono samples.
    public static func header(sampleRate: Int, dataBytes: Int) -> [UInt8] {
        func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        func le16(_ value: Int) -> [UInt8] { (0..<2).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        return Array("RIFF".utf8) + le32(36 + dataBytes) + Array("WAVEfmt ".utf8) + le32(16) + le16(1) + le16(1)
            + le32(sampleRate) + le32(sampleRate * 2) + le16(2) + le16(16) + Array("data".utf8) + le32(dataBytes)
    }
}
