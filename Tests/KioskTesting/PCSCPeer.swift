public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The real pcscd with vsmartcard's vpcd driver, for the whole test run, and virtual cards (kiosk-emrtd) put on its reader.
///
/// pcscd's client socket is fixed (/run/pcscd/pcscd.comm), so there is one pcscd per machine: a running one is used as it is
/// (Debian's vpcd configuration puts its first reader on TCP 35963); otherwise one is started in the foreground with a
/// reader.conf.d holding only vpcd, and killed when the tests end. Tests that put cards on the reader must be serialized.
///
/// vpcd listens for the card on every interface (its DEVICENAME has no address, and its connecting mode aborts pcscd while
/// no card listens). So the pcscd the tests start lives in a network namespace of its own with only loopback, and each card
/// joins it: no other machine can play a passport to the tests' reader. Its clients' Unix socket is outside any network
/// namespace, so kioskd and kioskctl reach it as ever.
public enum PCSCPeer {
    public static let reader = "Virtual PCD 00 00"
    public static let vpcdPort: UInt16 = 35963

    public static let shared = Task { try await start() }

    nonisolated(unsafe) static var started: pid_t?
    nonisolated(unsafe) static var configuration: String?
    nonisolated(unsafe) static var registered = false

    /// Whether the tests started pcscd themselves (and so may stop it): false when the machine runs its own.
    public static var ownsDaemon: Bool { started != nil }
    /// The tests' pcscd (unshare execs it, so the pid is pcscd's), when they started it.
    public static var daemonPID: pid_t? { started }

    static func start() async throws {
        if isRunning() { return }
        try await launch()
    }

    /// Stops the pcscd the tests started, as a crash or an operator would, and waits until it is gone.
    public static func stopDaemon() async throws {
        guard let pid = started else { throw PeerError("this pcscd is the machine's, not the tests'") }
        kill(pid, SIGTERM)
        try await Harness.eventually("pcscd to stop") { try Harness.reap(pid) != nil }
        started = nil
    }

    /// Starts pcscd again after ``stopDaemon()``.
    public static func startDaemon() async throws { try await launch() }

    static func launch() async throws {
        guard let pcscd = ["/usr/sbin/pcscd", "/sbin/pcscd"].first(where: FileManager.default.isExecutableFile) else {
            throw PeerError("pcscd is missing: run `make test`, which installs pcscd and vsmartcard-vpcd")
        }
        let driver = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so"
        guard FileManager.default.fileExists(atPath: driver) else {
            throw PeerError("\(driver) is missing: run `make test`, which installs vsmartcard-vpcd")
        }
        let dir = try configuration ?? Harness.scratch()
        configuration = dir
        try FileManager.default.createDirectory(atPath: dir + "/reader.conf.d", withIntermediateDirectories: true)
        try """
        FRIENDLYNAME "Virtual PCD"
        DEVICENAME   /dev/null:0x8C7B
        LIBPATH      \(driver)
        CHANNELID    0x8C7B

        """.write(toFile: dir + "/reader.conf.d/vpcd", atomically: true, encoding: .utf8)
        let unshare = try Harness.tool("unshare", package: "util-linux")
        let ip = try Harness.tool("ip", package: "iproute2")
        let pid = try Harness.spawn(
            unshare,
            ["--net", "--", "/bin/sh", "-c", "\(ip) link set lo up && exec \(pcscd) -f -i -c \(dir)/reader.conf.d"],
            stdout: dir + "/out", stderr: dir + "/err")
        if started == nil, configuration == dir, !registered {
            registered = true
            atexit { if let pid = PCSCPeer.started { kill(pid, SIGTERM) } }
        }
        started = pid
        try await Harness.eventually("pcscd to be ready", seconds: 10) {
            let out = (try? String(contentsOfFile: dir + "/out", encoding: .utf8)) ?? ""
            if let status = try Harness.reap(pid) { throw PeerError("pcscd exited with \(status): \(out.suffix(500))") }
            return out.contains("daemon ready")
        }
    }

    /// Whether a pcscd already serves this machine: its pid file names a live process.
    public static func isRunning() -> Bool {
        guard let text = try? String(contentsOfFile: "/run/pcscd/pcscd.pid", encoding: .utf8),
            // pcscd writes the pid, a newline and a NUL.
            let pid = pid_t(text.filter(\.isNumber))
        else { return false }
        return kill(pid, 0) == 0
    }

    /// A virtual passport or ID card on the vpcd reader, until ``remove()``.
    public final class Card: Sendable {
        public let pid: pid_t
        let dir: String

        /// Puts a card with this MRZ on the reader and waits until kiosk-emrtd is connected to vpcd.
        /// - parameter apduDelay: milliseconds per answer, to pull the card during a read.
        /// - parameter options: more of kiosk-emrtd's options: `--profile NAME`, `--can`, …
        public init(mrz: String, apduDelay: Int = 0, _ options: [String] = []) async throws {
            try await PCSCPeer.shared.value
            dir = try Harness.scratch()
            let arguments =
                (mrz.isEmpty ? [] : ["--mrz", mrz]) + ["--port", "\(PCSCPeer.vpcdPort)", "--apdu-delay-ms", "\(apduDelay)"]
                + options
            // Into pcscd's network namespace, where vpcd listens (nsenter execs: the pid is kiosk-emrtd's).
            if let pcscd = PCSCPeer.started {
                pid = try Harness.spawn(
                    try Harness.tool("nsenter", package: "util-linux"),
                    ["--net=/proc/\(pcscd)/ns/net", "--", try Harness.binary("kiosk-emrtd")] + arguments, stdout: dir + "/out",
                    stderr: dir + "/err")
            } else {
                pid = try Harness.spawn(
                    try Harness.binary("kiosk-emrtd"), arguments, stdout: dir + "/out", stderr: dir + "/err")
            }
            let (pid, dir) = (pid, dir)
            try await Harness.eventually("kiosk-emrtd to connect to vpcd", seconds: 15) {
                if let status = try Harness.reap(pid) {
                    let err = (try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? ""
                    throw PeerError("kiosk-emrtd exited with \(status): \(err)")
                }
                return ((try? String(contentsOfFile: dir + "/out", encoding: .utf8)) ?? "").contains("card inserted")
            }
        }

        /// A test that failed before ``remove()`` must not leave its card on the one virtual reader for the next test.
        deinit {
            kill(pid, SIGKILL)
            _ = try? Harness.reap(pid)
        }

        /// Takes the card off the reader: the connection to vpcd closes, and pcscd has seen it go, so the next test's card
        /// is the only one its reads can meet.
        public func remove() async throws {
            kill(pid, SIGTERM)
            try await Harness.eventually("kiosk-emrtd to stop") { try Harness.reap(pid) != nil }
            try await Harness.eventually("pcscd to see the card gone") {
                try await Harness.run(try Harness.binary("kioskctl"), ["cardreader", "status"]).stdout.contains(
                    "\(PCSCPeer.reader): no card")
            }
            try? FileManager.default.removeItem(atPath: dir)
        }
    }
}
