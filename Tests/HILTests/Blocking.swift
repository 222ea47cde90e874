import Foundation

/// Runs blocking socket I/O on a thread of its own, so a VM that is slow to answer never holds one of the few cooperative
/// threads the other suites run on.
func offThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
