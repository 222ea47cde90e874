import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Makes sure only one kioskd serves a control socket: an exclusive `flock` on `SOCKET.lock`, held for the daemon's life.
///
/// Hummingbird replaces an existing socket file when it binds, so without this a second kioskd would silently take the socket
/// from the first. The lock file also carries the holder's pid, for the message the second one prints.
final class InstanceLock: Sendable {
    let path: String
    private let fd: Int32

    /// - throws: ``ConfigError`` when another kioskd holds the lock, or the lock file cannot be made.
    init(socketPath: String) throws(ConfigError) {
        path = socketPath + ".lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw ConfigError(message: "cannot create the lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buffer, 31, 0)
            let pid = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
            close(fd)
            throw ConfigError(message: "another kioskd (pid \(pid)) is already serving \(socketPath); stop it first")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
    }

    deinit {
        unlink(path)
        close(fd)
    }
}
