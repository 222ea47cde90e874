/// Why the kiosk cannot speak just now. Each is one log line; the kiosk carries on without sound.
public struct SpeechError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// espeak-ng would not start (its data is missing or unreadable).
        case engine
        /// No voice for the language.
        case voice
        /// The audio device cannot be opened (none, busy, or unplugged).
        case device
        /// Writing to the audio device or the file failed (a headset or USB sound card pulled mid-sentence).
        case output
    }

    public var kind: Kind
    /// What failed, with its name (a device, a voice, a path): never what was being said.
    public var detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String {
        switch kind {
        case .engine: "speech engine: \(detail)"
        case .voice: "no voice: \(detail)"
        case .device: "no audio device: \(detail)"
        case .output: "audio output: \(detail)"
        }
    }
}
