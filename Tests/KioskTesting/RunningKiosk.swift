public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A kioskd started headless for one test, stopped with SIGTERM at the end.
public final class RunningKiosk: @unchecked Sendable {
    public let dir: String
    public let socket: String
    public let pid: pid_t
    let ownsDirectory: Bool
    private var exitStatus: Int32?

    /// - parameters:
    ///   - reusing: a folder of an earlier kiosk (its outbox, key and socket), for restarts; this kiosk then leaves it be.
    public init(
        reusing: String? = nil, central: RunningCentral? = nil, centralSettings: [String] = [],
        devices: [String] = ["sim-card-reader", "sim-printer", "sim-scanner", "sim-payment-terminal"],
        extraProfiles: [(name: String, text: String)] = [],
        front: String = "headless", extraConfig: String = "", kioskID: String = "test-kiosk",
        environment: [String: String] = [:]
    ) async throws {
        ownsDirectory = reusing == nil
        dir = try reusing ?? Harness.scratch()
        socket = dir + "/k.sock"
        let config = try Harness.config(
            in: dir, front: front, central: central, centralSettings: centralSettings, devices: devices,
            extraProfiles: extraProfiles, extraConfig: extraConfig, kioskID: kioskID)
        await StartGate.kioskd.enter()
        do {
            pid = try Harness.spawn(
                try Harness.binary("kioskd"), ["--config", config], stdout: "/dev/null", stderr: dir + "/kioskd.err",
                environment: environment)
        } catch {
            await StartGate.kioskd.leave()
            throw error
        }
        do {
            try await Harness.eventually("kioskd's control socket") { [socket] in
                let status = try await Harness.run(try Harness.binary("kioskctl"), ["status", "--socket", socket])
                return status.status == 0
            }
            await StartGate.kioskd.leave()
        } catch {
            await StartGate.kioskd.leave()
            // Say why: what kioskd wrote, and whether it still runs.
            let lines = log.split(separator: "\n")
            let crash = lines.first { $0.contains("Fatal error") || $0.contains("Crash") || $0.contains("crashed") }
            throw HarnessError(
                "\(error); kioskd \(isRunning ? "runs" : "ended"): \(crash ?? ""); its log begins: \(log.prefix(1500))")
        }
    }

    /// Whether kioskd still runs; reaps it once it has ended.
    public var isRunning: Bool {
        if exitStatus == nil { exitStatus = try? Harness.reap(pid) }
        return exitStatus == nil
    }

    /// Runs kioskctl against this kiosk.
    public func ctl(_ arguments: String...) async throws -> Harness.Output {
        try await Harness.run(try Harness.binary("kioskctl"), arguments + ["--socket", socket])
    }

    /// The step the kiosk is on, nil at the start screen; throws when kioskd does not answer.
    public func step() async throws -> String? {
        let out = try await ctl("status", "--json")
        guard out.status == 0 else { throw HarnessError("kioskctl status failed: \(out.stdout)\(out.stderr)") }
        let object = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any]
        return object?["step"] as? String
    }

    public var log: String { (try? String(contentsOfFile: dir + "/kioskd.err", encoding: .utf8)) ?? "" }

    /// An extract request through the control socket, as a resident makes it: the product, the document's MRZ scanned and
    /// its chip on the simulated reader, then the BSN when the chip carries none (a foreign document), as far as the
    /// confirm step; `submit` presses on to send it.
    public func requestExtract(
        product: String = "standard", mrz: String = Specimen.nlPassport2035, bsn: String? = nil, submit: Bool = true
    ) async throws {
        for action in ["start:extract-request", "next", "option:\(product)"] { _ = try await ctl("press", action) }
        try await Harness.eventually("identify") { try await self.step() == "identify" }
        _ = try await ctl("sim", "scan", mrz)
        _ = try await ctl("sim", "card", "present", "--mrz", mrz)
        if let bsn {
            try await Harness.eventually("the BSN step") { try await self.step() == "bsn" }
            _ = try await ctl("type", bsn)
            _ = try await ctl("press", "submit")
        }
        try await Harness.eventually("confirm") { try await self.step() == "confirm" }
        if submit { _ = try await ctl("press", "next") }
    }

    /// SIGTERM, then wait for the exit; returns the exit status.
    public func stop() async throws -> Int32 {
        if isRunning { kill(pid, SIGTERM) }
        try await Harness.eventually("kioskd to exit") { !isRunning }
        return exitStatus ?? -1
    }

    /// SIGKILL, as a power cut or the OOM killer would: no cleanup of any kind.
    public func crash() async throws {
        kill(pid, SIGKILL)
        try await Harness.eventually("kioskd to die") { !isRunning }
    }

    deinit {
        if isRunning {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        if ownsDirectory { try? FileManager.default.removeItem(atPath: dir) }
    }
}
