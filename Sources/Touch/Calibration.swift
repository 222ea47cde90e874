/// From the panel's units to screen pixels: the axis ranges the device reports (EVIOCGABS), swap and invert for a panel
/// mounted differently from the screen, and a 3×3 matrix like libinput's `LIBINPUT_CALIBRATION_MATRIX` for rotations and
/// fine-tuning, applied to coordinates normalised to 0…1.
///
/// A broken calibration (zero ranges, a matrix that sends everything off screen) gives points outside the screen, which hit
/// no button: the keyboard and `kioskctl` still work, so staff are never locked out.
public struct Calibration: Sendable {
    /// The axes' minimum and maximum as the device reports them. Plain numbers, not ranges: a device may report a minimum
    /// above its maximum, and that must give a useless calibration, not a crash.
    public var x: (min: Int32, max: Int32)
    public var y: (min: Int32, max: Int32)
    public var swapXY = false
    public var invertX = false
    public var invertY = false
    /// Row-major, the first two rows of the matrix (the third is 0 0 1).
    public var matrix: [Double] = [1, 0, 0, 0, 1, 0]
    public var screenWidth: Double
    public var screenHeight: Double

    public init(x: (min: Int32, max: Int32), y: (min: Int32, max: Int32), screenWidth: Double, screenHeight: Double) {
        self.x = x
        self.y = y
        self.screenWidth = screenWidth
        self.screenHeight = screenHeight
    }

    public func screenPoint(_ point: TouchPoint) -> TapRecognizer.Point {
        func normalise(_ value: Int32, _ axis: (min: Int32, max: Int32)) -> Double {
            let span = Double(axis.max) - Double(axis.min)
            return span > 0 ? (Double(value) - Double(axis.min)) / span : -1
        }
        var x = normalise(point.x, self.x)
        var y = normalise(point.y, self.y)
        if swapXY { swap(&x, &y) }
        if invertX { x = 1 - x }
        if invertY { y = 1 - y }
        let m = matrix.count == 6 ? matrix : [1, 0, 0, 0, 1, 0]
        let cx = m[0] * x + m[1] * y + m[2]
        let cy = m[3] * x + m[4] * y + m[5]
        return TapRecognizer.Point(x: cx * screenWidth, y: cy * screenHeight)
    }
}
