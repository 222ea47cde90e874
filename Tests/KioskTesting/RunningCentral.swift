public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A kiosk-central a test started: its URL, and the folder holding its database and token files.
public struct RunningCentral: Sendable {
    public let url: URL
    public let dir: String
    public let pid: pid_t
}
