public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Test support shared by the test targets: runs the real `kioskd`, `kioskctl` and `kiosk-central` binaries, as a technician would, in a folder of the test's own.
///
/// Binaries come from `KIOSK_BIN` (the Makefile sets it) or `.build/debug`. Socket paths stay short: `sun_path` holds 107 bytes.
public enum Harness {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    public static var binDirectory: String {
        ProcessInfo.processInfo.environment["KIOSK_BIN"] ?? root + "/.build/debug"
    }

    public static func binary(_ name: String) throws -> String {
        let path = binDirectory + "/" + name
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw HarnessError("\(path) is missing: run `make test` (or `swift build`) first")
        }
        return path
    }

    /// A fresh folder under /tmp, short enough for a socket path.
    /// A TCP port on 127.0.0.1 that nobody listens on now.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw HarnessError("no free port") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A peer's program from Debian's packages; missing, it is a failure that names the `package` `make test` installs.
    public static func tool(_ name: String, package: String) throws -> String {
        for dir in ["/usr/sbin", "/usr/bin", "/sbin", "/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)")
        {
            return "\(dir)/\(name)"
        }
        throw HarnessError("\(name) is missing: run `make test`, which installs \(package)")
    }

    public static func scratch() throws -> String {
        var template = Array("/tmp/kd-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw HarnessError("mkdtemp failed") }
        return String(cString: made)
    }

    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs a command to its end; output goes through files so that a chatty child can never block on a full pipe.
    ///
    /// Uses posix_spawn and waitpid rather than Foundation's `Process`, whose exit detection waits for a descriptor that a
    /// daemonising child (the tmux server) keeps open forever.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws
        -> Output
    {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pid = try spawn(executable, arguments, stdout: dir + "/out", stderr: dir + "/err", environment: environment)
        var status: Int32?
        while status == nil {
            status = try reap(pid)
            if status == nil { try await Task.sleep(for: .milliseconds(10)) }
        }
        let out = (try? String(contentsOfFile: dir + "/out", encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? ""
        return Output(status: status ?? -1, stdout: out, stderr: err)
    }

    /// Starts a child with stdin from /dev/null and stdout and stderr to files.
    ///
    /// posix_spawn and waitpid rather than Foundation's `Process`: its exit detection waits for a descriptor that any other
    /// child started meanwhile inherits (a tmux server, a kiosk-central), so an exit could go unnoticed for as long as they live.
    public static func spawn(
        _ executable: String, _ arguments: [String], stdout: String, stderr: String, environment: [String: String] = [:]
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // Nothing else of the test process: a FIFO's writer that one test holds, inherited by another test's kioskd,
        // would keep that FIFO from ever reaching its end.
        closeFrom3(&actions)
        let env = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }.map { "\($0.key)=\($0.value)" }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        // Children start with default signal handling and nothing blocked: an ignored SIGTERM in the test process (signal
        // handling libraries set that up) would otherwise be inherited, and `kill` could not stop the child.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw HarnessError("cannot start \(executable): \(String(cString: strerror(spawned)))") }
        return pid
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc module does not show: the
    /// child closes every descriptor from 3 up.
    private static func closeFrom3(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
            return
        }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(actions, 3)
    }

    /// Blocks until the child has ended (after a SIGKILL, or a SIGTERM it is known to obey) and returns its status as
    /// ``reap(_:)`` does; nil when it was reaped already.
    @discardableResult
    public static func waitForExit(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        while true {
            let done = waitpid(pid, &status, 0)
            if done == pid { return exitStatus(status) }
            if done < 0 && errno == EINTR { continue }
            return nil
        }
    }

    /// The exit status once the child has ended (128 + signal when killed), nil while it runs.
    public static func reap(_ pid: pid_t) throws -> Int32? {
        var status: Int32 = 0
        let done = waitpid(pid, &status, WNOHANG)
        if done == 0 || (done < 0 && errno == EINTR) { return nil }
        guard done == pid else { throw HarnessError("waitpid failed for \(pid)") }
        return exitStatus(status)
    }

    /// waitpid's status as a shell gives it: the exit code, or 128 + the signal.
    static func exitStatus(_ status: Int32) -> Int32 { status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F) }

    /// Sends raw bytes to a Unix socket and returns everything that comes back until the peer closes (at most 2 s).
    public static func rawHTTP(_ path: String, _ request: String) throws -> String {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        guard unixSocket(fd, path, connect) == 0 else { throw HarnessError("cannot connect to \(path)") }
        return exchange(fd, request)
    }

    /// The same over TCP to 127.0.0.1 (ippeveprinter's web page, for one).
    public static func tcpHTTP(port: Int, _ request: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw HarnessError("cannot connect to 127.0.0.1:\(port)") }
        return exchange(fd, request)
    }

    static func exchange(_ fd: Int32, _ request: String) -> String {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        shutdown(fd, Int32(SHUT_WR))
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            answer += buffer[0..<n]
        }
        return String(decoding: answer, as: UTF8.self)
    }

    /// Calls `connect` or `bind` on a Unix socket address for `path`.
    public static func unixSocket(
        _ fd: Int32, _ path: String, _ call: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Int32
    ) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (i, byte) in path.utf8.prefix(buffer.count - 1).enumerated() { buffer[i] = byte }
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { call(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }

    /// Polls until `condition` holds, for at most `seconds`. Readiness, not timing: the limit is generous.
    /// The writing end of a FIFO kioskd reads (an evdev node's stand-in), once kioskd has it open.
    public static func fifoWriter(_ fifo: String) async throws -> Int32 {
        var writer: Int32 = -1
        try await eventually("kioskd to open \(fifo)") {
            writer = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
            return writer >= 0
        }
        return writer
    }

    public static func eventually(
        _ what: String, seconds: Double = 15, _ condition: () async throws -> Bool
    ) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HarnessError("timed out waiting for \(what)")
    }

    /// A kiosk config for the test: the repository's flows and profiles, state and socket in `dir`.
    /// - parameters:
    ///   - central: a running kiosk-central to use over HTTP; the in-process stand-in when nil.
    /// - parameters:
    ///   - centralSettings: more `key: value` lines for the config's central section.
    public static func config(
        in dir: String, front: String = "headless", flows: String? = nil, central: RunningCentral? = nil,
        centralSettings: [String] = [],
        devices: [String] = ["sim-card-reader", "sim-printer", "sim-scanner", "sim-payment-terminal"],
        extraProfiles: [(name: String, text: String)] = [], extraConfig: String = "", kioskID: String = "test-kiosk"
    ) throws -> String {
        var profiles = root + "/Devices"
        if !extraProfiles.isEmpty {
            // The repository's profiles plus the test's own (a printer on the test's cupsd, say).
            profiles = dir + "/Devices"
            try FileManager.default.createDirectory(atPath: profiles, withIntermediateDirectories: true)
            for file in try FileManager.default.contentsOfDirectory(atPath: root + "/Devices") {
                try? FileManager.default.copyItem(atPath: root + "/Devices/" + file, toPath: profiles + "/" + file)
            }
            for profile in extraProfiles {
                try profile.text.write(toFile: profiles + "/" + profile.name, atomically: true, encoding: .utf8)
            }
        }
        var centralSection = "central:\n  kind: in-process\n  latencyMillis: 50"
        if let central {
            centralSection = """
                central:
                  kind: http
                  url: \(central.url.absoluteString)
                  tokenFile: \(central.dir)/kiosk.token
                  fastPathMillis: 1500
                  retryCapSeconds: 2
                """
        }
        for line in centralSettings { centralSection += "\n  " + line }
        let text = """
            kiosk:
              id: \(kioskID)
              location: test bench
              language: nl
            front: \(front)
            state: \(dir)/state
            controlSocket: \(dir)/k.sock
            flows: \(flows ?? root + "/Flows")
            devices:
              profiles: \(profiles)
              active: [\(devices.joined(separator: ", "))]
            \(centralSection)
            """ + (extraConfig.isEmpty ? "" : "\n" + extraConfig)
            // Tests see a resolve at once (the hysteresis has its own tests), and a nearly full test disk raises nothing.
            + (extraConfig.contains("alerts:") ? "" : "\nalerts:\n  clearSeconds: 0\n  checks:\n    minFreeMegabytes: 0")
        let path = dir + "/kiosk.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
