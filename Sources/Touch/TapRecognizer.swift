/// A tap: one finger down and up again close to where it started. What a resident's press on a button looks like.
///
/// Only the first finger counts: a second finger (a palm, a child's hand) is ignored while the first is down. A tap that
/// follows the previous one too quickly is a bounce and dropped. Positions are in screen pixels, after calibration.
public struct TapRecognizer: Sendable {
    public struct Point: Sendable, Equatable {
        public var x: Double
        public var y: Double

        public init(x: Double, y: Double) {
            self.x = x
            self.y = y
        }
    }

    public enum Gesture: Sendable, Equatable {
        /// The finger came down here: draw the button under it pressed.
        case pressed(Point)
        /// The finger lifted close to where it came down: act on the button.
        case tapped(Point)
        /// The finger slid away, or the touch was cancelled: release the pressed button, do nothing.
        case abandoned
    }

    /// How far the finger may slide, in pixels, and still tap.
    public var slop: Double
    /// Taps closer together than this, in seconds, are one tap.
    public var debounce: Double
    private var finger: (contact: Int32, start: Point)?
    private var lastTap: Double = -.infinity

    public init(slop: Double = 40, debounce: Double = 0.15) {
        self.slop = slop
        self.debounce = debounce
    }

    /// - parameters:
    ///   - point: the event's position in screen pixels (nil for `cancelled`).
    ///   - time: the event's time in seconds.
    public mutating func feed(_ event: TouchEvent, at point: Point?, time: Double) -> Gesture? {
        switch event {
        case .down(let contact, _):
            guard finger == nil, let point else { return nil }
            finger = (contact, point)
            return .pressed(point)
        case .move(let contact, _):
            guard let finger, finger.contact == contact, let point, distance(finger.start, point) > slop else { return nil }
            self.finger = nil
            return .abandoned
        case .up(let contact, _):
            guard let finger, finger.contact == contact else { return nil }
            self.finger = nil
            guard let point, distance(finger.start, point) <= slop, time - lastTap >= debounce else { return .abandoned }
            lastTap = time
            return .tapped(finger.start)
        case .cancelled:
            guard finger != nil else { return nil }
            finger = nil
            return .abandoned
        }
    }

    private func distance(_ a: Point, _ b: Point) -> Double {
        ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
    }
}
