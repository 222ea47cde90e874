/// A tap: one finger down and up again close to where it started, or still on the button it pressed. What a resident's
/// press on a button looks like.
///
/// Only the first finger counts: a second finger (a palm, a child's hand) is ignored while the first is down. A tap that
/// follows the previous one too quickly is a bounce and dropped. Positions are in screen pixels, after calibration; the
/// slop is a physical distance, turned into pixels with the panel's scale.
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
        case abandoned(drift: Double)
    }

    /// How far the finger may slide, in millimetres, and still tap: a fingertip rolls and flattens, and an optical panel's
    /// spot wanders further. Beyond it, a finger still on the button it pressed taps that button.
    public var slopMillimetres: Double
    /// Screen pixels per millimetre on the panel: from the axis resolution where the device reports it, else the screen's
    /// pixel pitch.
    public var pixelsPerMillimetre: Double
    /// Taps closer together than this, in seconds, are one tap.
    public var debounce: Double
    private var finger: (contact: Int32, start: Point, drift: Double)?
    private var lastTap: Double?

    /// The pitch of a 24-inch full-HD panel, the usual kiosk screen, for panels that do not report their resolution.
    public static let defaultPixelPitch = 0.28

    public init(slopMillimetres: Double = 20, pixelsPerMillimetre: Double = 1 / defaultPixelPitch, debounce: Double = 0.15) {
        self.slopMillimetres = slopMillimetres
        self.pixelsPerMillimetre =
            pixelsPerMillimetre > 0 && pixelsPerMillimetre.isFinite ? pixelsPerMillimetre : 1 / Self.defaultPixelPitch
        self.debounce = debounce
    }

    var slop: Double { slopMillimetres * pixelsPerMillimetre }

    /// - parameters:
    ///   - point: the event's position in screen pixels (nil for `cancelled`).
    ///   - time: the event's time in seconds, on a clock that should not step (CLOCK_MONOTONIC); a step back is survived.
    ///   - sameTarget: whether two points are on the same button; a finger that drifted past the slop but is still on the
    ///     button it pressed taps it.
    public mutating func feed(
        _ event: TouchEvent, at point: Point?, time: Double, sameTarget: (Point, Point) -> Bool = { _, _ in false }
    ) -> Gesture? {
        switch event {
        case .down(let contact, _):
            guard finger == nil, let point else { return nil }
            finger = (contact, point, 0)
            return .pressed(point)
        case .move(let contact, _):
            guard var finger, finger.contact == contact, let point else { return nil }
            finger.drift = max(finger.drift, distance(finger.start, point))
            self.finger = finger
            guard finger.drift > slop, !sameTarget(finger.start, point) else { return nil }
            self.finger = nil
            return .abandoned(drift: finger.drift / pixelsPerMillimetre)
        case .up(let contact, _):
            guard let finger, finger.contact == contact else { return nil }
            self.finger = nil
            let drift = point.map { max(finger.drift, distance(finger.start, $0)) } ?? .infinity
            guard let point, drift <= slop || sameTarget(finger.start, point) else {
                return .abandoned(drift: drift / pixelsPerMillimetre)
            }
            // A clock that stepped back (an event time before the last tap's) says nothing about bounces.
            if let lastTap, time >= lastTap, time - lastTap < debounce { return .abandoned(drift: 0) }
            lastTap = time
            return .tapped(finger.start)
        case .cancelled:
            guard let finger else { return nil }
            self.finger = nil
            return .abandoned(drift: finger.drift / pixelsPerMillimetre)
        }
    }

    private func distance(_ a: Point, _ b: Point) -> Double {
        ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
    }
}
