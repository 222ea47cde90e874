import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A private CUPS for the tests: cupsd on 127.0.0.1 and a free port with every file in a folder of its own, and an IPP
/// Everywhere printer (ippeveprinter, which needs a D-Bus bus) behind a queue named `kiosk`.
///
/// Started once per test run and killed at exit. ippeveprinter keeps every document it receives in `spool`, and runs
/// `print-command` for each job, which a test can make fail (`STATE: +media-jam` on stderr) by writing `next-job`.
public enum CUPSPeer {
    public struct Running: Sendable {
        public let dir: String
        /// `127.0.0.1:PORT`, for the printer profile's `server` option and `CUPS_SERVER`.
        public let server: String
        public let printerPort: Int
        /// The receipt printer: 80 mm roll paper at 203 dpi, as a thermal receipt printer reports it.
        public var rollPort = 0
        public var spool: String { dir + "/ipp-spool" }
        public var rollSpool: String { dir + "/roll-spool" }
        public var deviceURI: String { "ipp://127.0.0.1:\(printerPort)/ipp/print" }
        public var rollURI: String { "ipp://127.0.0.1:\(rollPort)/ipp/print" }
    }

    public static let queue = "kiosk"
    /// The queue of the receipt printer on an 80 mm roll.
    public static let rollQueue = "bon"

    /// What the receipt printer reports, as ippeveprinter's attributes file: PDF among its formats, roll media, 203 dpi.
    /// (ippeveprinter then also lists its own formats in a second document-format-supported; IPP clients take the first.)
    static let rollAttributes = """
        ATTR mimeMediaType document-format-supported application/pdf,image/pwg-raster,image/urf
        ATTR keyword media-supported roll_max_80x3276.7mm,roll_min_58x25mm,oe_80mm-roll_80x150mm
        ATTR keyword media-default oe_80mm-roll_80x150mm
        ATTR keyword media-ready oe_80mm-roll_80x150mm
        ATTR resolution printer-resolution-default 203dpi
        ATTR resolution printer-resolution-supported 203dpi

        """

    /// A job with this title jams, and one with the other prints slowly: tied to the job itself, so no other test's job can
    /// take the condition.
    public static let jamTitle = "kiosk-test-jam"
    public static let slowTitle = "kiosk-test-slow"
    /// The print command fails at once (exit 1), is killed mid-job (the print engine loses power), hangs, or finds the
    /// cover open and waits for it to close.
    public static let failTitle = "kiosk-test-fail"
    public static let killedTitle = "kiosk-test-killed"
    public static let hangTitle = "kiosk-test-hang"
    public static let coverTitle = "kiosk-test-cover"
    /// `kiosk-test-state-REASON`: the print command reports REASON (`STATE: +REASON`) as it starts, then fails.
    public static let stateTitle = "kiosk-test-state"

    /// Makes the next job jam or go slow, once (for a job whose title the test does not choose, such as a flow's). It first waits until no job of an earlier test is still queued or printing
    /// in CUPS or at the printer, or that job would take the condition meant for this test's job.
    public static func nextJob(_ what: String, on running: Running) async throws {
        let environment = ["CUPS_SERVER": running.server]
        try await Harness.eventually("the printer to be idle", seconds: 30) {
            let jobs = try await Harness.run(try tool("lpstat"), ["-o", queue], environment: environment)
            let printer = try await Harness.run(try tool("lpstat"), ["-p", queue], environment: environment)
            return jobs.stdout.isEmpty && !printer.stdout.contains("now printing")
        }
        try what.write(toFile: running.dir + "/next-job", atomically: true, encoding: .utf8)
    }

    /// How many jobs came out of the printer so far: what the resident holds, whatever CUPS says of its jobs.
    public static func printedCount(on running: Running) -> Int {
        let text = (try? String(contentsOfFile: running.dir + "/printed", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").count
    }

    /// The jobs whose print command has started at the printer, one line each (`ID NAME`).
    public static func printerJobs(on running: Running) -> [String] {
        ((try? String(contentsOfFile: running.dir + "/started", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Adds the `kiosk` queue for the test printer (again, after a test removed it).
    public static func addQueue(_ running: Running) async throws {
        let add = try await Harness.run(
            try tool("lpadmin"),
            ["-p", queue, "-E", "-v", running.deviceURI, "-m", "everywhere", "-o", "printer-error-policy=abort-job"],
            environment: ["CUPS_SERVER": running.server])
        guard add.status == 0 else { throw PeerError("lpadmin could not add the queue: \(add.stderr)") }
    }

    /// Sets the paper level of every tray through ippeveprinter's web page: 0 is media-empty, 1 to 24 media-low.
    public static func setPaper(level: Int) async throws {
        let running = try await shared.value
        let query = (1...3).filter { $0 != 2 }.map {
            "size\($0)=iso_a4_210x297mm&type\($0)=stationery&level\($0)=\(level)"
        }.joined(separator: "&")
        let answer = try Harness.tcpHTTP(
            port: running.printerPort, "GET /media?\(query) HTTP/1.0\r\nHost: localhost\r\n\r\n")
        guard answer.hasPrefix("HTTP/1.0 200") || answer.hasPrefix("HTTP/1.1 200") else {
            throw PeerError("ippeveprinter's /media answered: \(answer.prefix(80))")
        }
    }

    /// Kills ippeveprinter (the printer goes offline) and starts it again on the same port.
    public static func restartPrinter(downFor pause: Duration, whileDown: () async throws -> Void = {}) async throws {
        let running = try await shared.value
        guard let pid = printerPID else { throw PeerError("no ippeveprinter to stop") }
        kill(pid, SIGTERM)
        try await Harness.eventually("ippeveprinter to stop") { try Harness.reap(pid) != nil }
        // A power loss stops the print engine too: a print command still running would finish the job later.
        killPrintCommands(running)
        try await whileDown()
        try await Task.sleep(for: pause)
        printerPID = try startPrinter(running)
    }

    /// Kills every print command of this peer that still runs (found by its path in /proc/PID/cmdline).
    static func killPrintCommands(_ running: Running) {
        let command = Data((running.dir + "/print-command").utf8)
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry), let line = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"),
                line.range(of: command) != nil
            else { continue }
            kill(pid, SIGKILL)
        }
    }

    nonisolated(unsafe) static var printerPID: pid_t?
    nonisolated(unsafe) static var cupsdPID: pid_t?

    /// Kills cupsd outright (SIGKILL, as a crash or a power cut of the host would) and starts it again on the same
    /// configuration, once it is gone.
    public static func restartCUPS() async throws {
        let running = try await shared.value
        guard let pid = cupsdPID else { throw PeerError("no cupsd to kill") }
        kill(pid, SIGKILL)
        try await Harness.eventually("cupsd to die") { try Harness.reap(pid) != nil }
        cupsdPID = try startCUPS(running.dir)
        try await Harness.eventually("cupsd to answer again", seconds: 20) {
            try await Harness.run(try tool("lpstat"), ["-p", queue], environment: ["CUPS_SERVER": running.server]).status == 0
        }
    }

    static func startCUPS(_ dir: String) throws -> pid_t {
        let pid = try Harness.spawn(
            try tool("cupsd"), ["-f", "-c", dir + "/cupsd.conf", "-s", dir + "/cups-files.conf"], stdout: dir + "/cupsd.out",
            stderr: dir + "/cupsd.err")
        pids.append(pid)
        return pid
    }

    static func startPrinter(_ running: Running) throws -> pid_t {
        let pid = try Harness.spawn(
            try tool("ippeveprinter"),
            [
                "-p", "\(running.printerPort)", "-n", "localhost", "-r", "off", "-k", "-d", running.dir + "/ipp-spool", "-f",
                "application/pdf,image/pwg-raster,image/urf", "-c", running.dir + "/print-command", "Kiosk Test Printer",
            ], stdout: running.dir + "/ipp.out", stderr: running.dir + "/ipp.err",
            environment: ["DBUS_SYSTEM_BUS_ADDRESS": "unix:path=\(running.dir)/dbus.sock"])
        pids.append(pid)
        return pid
    }
    static func startRollPrinter(_ running: Running) throws -> pid_t {
        try rollAttributes.write(toFile: running.dir + "/roll.conf", atomically: true, encoding: .utf8)
        let pid = try Harness.spawn(
            try tool("ippeveprinter"),
            [
                "-a", running.dir + "/roll.conf", "-p", "\(running.rollPort)", "-n", "localhost", "-r", "off", "-k", "-d",
                running.rollSpool, "-c", running.dir + "/print-command", "Kiosk Test Receipt Printer",
            ], stdout: running.dir + "/roll.out", stderr: running.dir + "/roll.err",
            environment: ["DBUS_SYSTEM_BUS_ADDRESS": "unix:path=\(running.dir)/dbus.sock"])
        pids.append(pid)
        return pid
    }

    public static let shared = Task { try await start() }
    nonisolated(unsafe) static var pids: [pid_t] = []

    /// A CUPS tool, from the packages `make test` installs for it.
    public static func tool(_ name: String) throws -> String {
        try Harness.tool(name, package: "cups, cups-ipp-utils and dbus")
    }

    static func start() async throws -> Running {
        let cupsd = try tool("cupsd")
        let ippeveprinter = try tool("ippeveprinter")
        let dbus = try tool("dbus-daemon")
        let lpadmin = try tool("lpadmin")
        let dir = try Harness.scratch()
        chmod(dir, 0o755)  // cupsd's helpers run as lp
        for sub in ["run", "spool", "tmp", "cache", "state", "log", "serverbin", "ipp-spool", "roll-spool"] {
            try FileManager.default.createDirectory(atPath: "\(dir)/\(sub)", withIntermediateDirectories: true)
        }
        for item in (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/cups")) ?? [] {
            try? FileManager.default.createSymbolicLink(
                atPath: "\(dir)/serverbin/\(item)", withDestinationPath: "/usr/lib/cups/\(item)")
        }
        let port = try Harness.freePort()
        let printerPort = try Harness.freePort()
        let rollPort = try Harness.freePort()
        try """
        Listen 127.0.0.1:\(port)
        Listen \(dir)/run/cups.sock
        Browsing No
        IdleExitTimeout 0
        DirtyCleanInterval 0
        PreserveJobFiles No
        LogLevel warn
        WebInterface No
        <Location />
          Order allow,deny
          Allow 127.0.0.1
        </Location>
        <Policy default>
          <Limit All>
            Order deny,allow
          </Limit>
        </Policy>

        """.write(toFile: dir + "/cupsd.conf", atomically: true, encoding: .utf8)
        try """
        ServerRoot \(dir)
        RequestRoot \(dir)/spool
        TempDir \(dir)/tmp
        CacheDir \(dir)/cache
        StateDir \(dir)/state
        AccessLog \(dir)/log/access_log
        ErrorLog \(dir)/log/error_log
        PageLog \(dir)/log/page_log
        User lp
        Group lp
        SystemGroup root
        Sandboxing Relaxed
        ServerBin \(dir)/serverbin

        """.write(toFile: dir + "/cups-files.conf", atomically: true, encoding: .utf8)
        // Each job: a jam or a slow print when its name says so (ippeveprinter passes job attributes as IPP_*), else what
        // `next-job` says, once; otherwise print at once. A job that comes out is written to `printed`.
        try """
        #!/bin/sh
        next="\(dir)/next-job"
        case "$IPP_JOB_NAME" in
          *\(jamTitle)*) what=jam ;;
          *\(slowTitle)*) what=slow ;;
          *\(failTitle)*) what=fail ;;
          *\(killedTitle)*) what=killed ;;
          *\(hangTitle)*) what=hang ;;
          *\(coverTitle)*) what=cover ;;
          *\(stateTitle)*) what=state ;;
          *) if [ -f "$next" ]; then what=$(cat "$next"); rm -f "$next"; else what=ok; fi ;;
        esac
        echo "$IPP_JOB_ID $IPP_JOB_NAME" >> "\(dir)/started"
        # A printer takes no broken PDF: the document is checked as a real one's interpreter would.
        pdfinfo "$1" > /dev/null 2>&1 || exit 1
        case "$what" in
          jam) echo "STATE: +media-jam" >&2; sleep 3; exit 1 ;;
          slow) sleep 4 ;;
          fail) exit 1 ;;
          killed) sleep 1; kill -9 $$ ;;
          hang) sleep 8; exit 1 ;;
          cover) echo "STATE: +cover-open" >&2; sleep 8; echo "STATE: -cover-open" >&2 ;;
          state) echo "STATE: +${IPP_JOB_NAME#*\(stateTitle)-}" | cut -d' ' -f1-2 >&2; sleep 3; exit 1 ;;
        esac
        echo "$IPP_JOB_ID $IPP_JOB_NAME" >> "\(dir)/printed"
        exit 0

        """.write(toFile: dir + "/print-command", atomically: true, encoding: .utf8)
        chmod(dir + "/print-command", 0o755)

        if pids.isEmpty { atexit { CUPSPeer.pids.forEach { kill($0, SIGTERM) } } }
        let bus = try Harness.spawn(
            dbus, ["--session", "--address=unix:path=\(dir)/dbus.sock", "--nofork"], stdout: dir + "/dbus.out",
            stderr: dir + "/dbus.err")
        pids.append(bus)
        try await Harness.eventually("dbus") { FileManager.default.fileExists(atPath: dir + "/dbus.sock") }
        _ = ippeveprinter
        printerPID = try startPrinter(Running(dir: dir, server: "", printerPort: printerPort))
        var roll = Running(dir: dir, server: "", printerPort: printerPort)
        roll.rollPort = rollPort
        _ = try startRollPrinter(roll)
        _ = cupsd
        cupsdPID = try startCUPS(dir)
        var running = Running(dir: dir, server: "127.0.0.1:\(port)", printerPort: printerPort)
        running.rollPort = rollPort
        _ = lpadmin
        try await Harness.eventually("cupsd and ippeveprinter to listen", seconds: 20) {
            (try? await addQueue(running)) != nil
        }
        try await Harness.eventually("the receipt printer to listen", seconds: 20) {
            let add = try await Harness.run(
                lpadmin, ["-p", rollQueue, "-E", "-v", running.rollURI, "-m", "everywhere"],
                environment: ["CUPS_SERVER": running.server])
            return add.status == 0
        }
        return running
    }
}
