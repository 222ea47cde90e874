import Foundation
import Glibc

/// Where `kioskctl diag bundle` gathers its files, safe for a root technician in a /tmp other users can write to: a folder
/// made by mkdtemp (a name nobody can guess, mode 0700), files created with O_EXCL | O_NOFOLLOW (never through a link the
/// kiosk did not make), and the finished archive delivered the same way. ``remove()`` is called whatever happens.
struct DiagStaging {
    struct Failure: Error, CustomStringConvertible {
        enum Kind { case staging, writing, delivering }
        let kind: Kind
        let path: String
        let reason: String
        var description: String { "\(path): \(reason)" }
    }

    /// The private folder (mkdtemp's), and the `kiosk-diag` folder in it that becomes the archive's top.
    let root: String
    var folder: String { root + "/kiosk-diag" }

    init() throws(Failure) {
        let base = FileManager.default.temporaryDirectory.path
        var template = Array((base + "/kiosk-diag.XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw Failure(kind: .staging, path: base, reason: String(cString: strerror(errno)))
        }
        root = String(cString: made)
        guard mkdir(root + "/kiosk-diag", 0o700) == 0 else {
            let reason = String(cString: strerror(errno))
            rmdir(root)
            throw Failure(kind: .staging, path: root, reason: reason)
        }
    }

    /// Writes `text` to a new file in the folder; an existing file or a link in its place is an error, never followed.
    func save(_ name: String, _ text: String) throws(Failure) {
        try Self.create(folder + "/" + name, Data(text.utf8), kind: .writing)
    }

    /// Copies the finished archive to `target`, which must not exist yet: a file or a link already there is refused.
    func deliver(_ archive: String, to target: String) throws(Failure) {
        guard let data = FileManager.default.contents(atPath: archive) else {
            throw Failure(kind: .delivering, path: archive, reason: "the archive was not made")
        }
        try Self.create(target, data, kind: .delivering)
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    static func create(_ path: String, _ data: Data, kind: Failure.Kind) throws(Failure) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let reason =
                errno == EEXIST ? "already exists (a file or a link); choose a new name" : String(cString: strerror(errno))
            throw Failure(kind: kind, path: path, reason: reason)
        }
        defer { close(fd) }
        let written = data.withUnsafeBytes { bytes -> Int in
            var offset = 0
            while offset < bytes.count {
                let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { return -1 }
                offset += n
            }
            return offset
        }
        guard written == data.count, fsync(fd) == 0 else {
            throw Failure(kind: kind, path: path, reason: String(cString: strerror(errno)))
        }
    }
}
