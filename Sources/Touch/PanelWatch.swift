/// Turns a silent dead panel into one line a technician can act on: events arrive but never make a touch (a protocol or
/// driver the decoder cannot follow), or touches arrive but never make a tap (the slop too tight, the calibration off).
/// Each is said once per watch, with what was seen; a tap clears the tally.
public struct PanelWatch: Sendable {
    /// How many events without a single touch, and how many abandoned presses in a row without a tap, before it speaks.
    public var eventsWithoutTouch: Int
    public var pressesWithoutTap: Int
    private var abandoned: [Double] = []
    private var saidNoTouch = false
    private var saidNoTap = false

    public init(eventsWithoutTouch: Int = 500, pressesWithoutTap: Int = 3) {
        self.eventsWithoutTouch = eventsWithoutTouch
        self.pressesWithoutTap = pressesWithoutTap
    }

    /// After each event: the line to log, once, when the panel's events never made a touch.
    public mutating func decoded(_ census: TouchDecoder.Census) -> String? {
        guard !saidNoTouch, census.touches == 0, census.events >= eventsWithoutTouch else { return nil }
        saidNoTouch = true
        return "the touch panel sent \(census.summary), and no touch came of them; check the panel's driver and protocol"
    }

    /// After each gesture: the line to log, once, when presses keep ending without a tap.
    public mutating func recognised(_ gesture: TapRecognizer.Gesture, slopMillimetres: Double) -> String? {
        switch gesture {
        case .pressed: return nil
        case .tapped:
            abandoned = []
            return nil
        case .abandoned(let drift):
            abandoned.append(drift)
            guard !saidNoTap, abandoned.count >= pressesWithoutTap else { return nil }
            saidNoTap = true
            let drifts = abandoned.map { $0.isFinite ? "\(Int($0.rounded())) mm" : "cancelled" }.joined(separator: ", ")
            return "\(abandoned.count) presses in a row ended without a tap (the finger drifted \(drifts); the slop is "
                + "\(Int(slopMillimetres)) mm off the button); check the calibration and touchSlopMillimetres"
        }
    }
}
