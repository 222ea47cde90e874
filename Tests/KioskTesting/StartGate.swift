/// How many kioskd a test run starts at once. The suites run in parallel, and without a gate a hundred kioskd (debug
/// builds, each parsing its flows, profiles and master list) start together on the machine's two cores: a start that takes
/// 0.7 s alone took more than the 15 s a test waits for the control socket (a CI run on 2026-11-29). Each start holds the
/// gate from its spawn until its socket answers; the wait for the gate is not counted against that deadline.
actor StartGate {
    static let kioskd = StartGate(width: 3)

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(width: Int) {
        free = width
    }

    /// Waits until fewer than `width` others are inside, and goes in.
    func enter() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}
