import CCups
import Dispatch
import Foundation
import Synchronization

/// The one thread every libcups call of a printer runs on.
///
/// libcups keeps state per thread: the server (`cupsSetServer`), the default connection and the last error. Swift's tasks and
/// even a serial dispatch queue hop between threads, so a call there could talk to another server or read another call's
/// error. This is a plain thread with a queue of work in front of it.
final class CUPSThread: Sendable {
    private let work = Mutex<[@Sendable () -> Void]>([])
    private let ready = DispatchSemaphore(value: 0)

    /// - parameter server: `host:port` or a socket path; nil for libcups' default (`CUPS_SERVER`, then the local socket).
    init(server: String?) {
        // The thread keeps the object alive for the process's life, as the printer it serves.
        let thread = Thread { [self] in
            if let server { cupsSetServer(server) }
            while true {
                ready.wait()
                if let next = work.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { next() }
            }
        }
        thread.name = "kioskd.cups"
        thread.start()
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            work.withLock { $0.append { continuation.resume(returning: body()) } }
            ready.signal()
        }
    }
}
