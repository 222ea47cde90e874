/// Whether the kiosk reads its screens aloud (EN 301 549, clause 5.1.3), and how. A headset in the jack or the "read
/// aloud" button starts it; pulling the headset ends it. The volume is the resident's, and goes back to the default when
/// the visit ends.
public struct SpeechMode: Sendable, Equatable {
    public var on = false
    /// A headset is in the jack: personal data may be said (never over the loudspeaker).
    public var headset = false
    /// 1 (soft) to 10 (loud).
    public var volume = SpeechMode.defaultVolume
    /// Goes up each time the resident asks for the screen again (the repeat key), so the same screen is said again.
    public var repeats = 0

    public static let defaultVolume = 5
    public static let volumes = 1...10

    public init(on: Bool = false, headset: Bool = false) {
        self.on = on
        self.headset = headset
    }

    /// The next visit: the default volume, and speech only while a headset is still in.
    mutating func visitEnded() {
        volume = Self.defaultVolume
        on = headset
    }

    mutating func apply(_ control: SpeechControl) {
        switch control {
        case .repeatScreen:
            on = true
            repeats += 1
        case .louder: volume = min(volume + 1, Self.volumes.upperBound)
        case .softer: volume = max(volume - 1, Self.volumes.lowerBound)
        }
    }

    mutating func headset(plugged: Bool) {
        headset = plugged
        on = plugged
    }
}

/// The keypad's speech keys.
public enum SpeechControl: String, Sendable, Equatable, CaseIterable {
    /// Say the screen again (and start speech mode, if it was off).
    case repeatScreen = "repeat"
    case louder, softer
}
