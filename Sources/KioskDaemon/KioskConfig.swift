import Alerting
public import Foundation
public import KioskCore

/// The kiosk's own settings, from a YAML file such as `Kiosk/demo.yaml`. Relative paths are relative to that file's folder.
///
/// Every problem is reported as `file:line:column: reason`, like flow problems, and kioskd refuses to start on any.
public struct KioskConfig: Sendable {
    public enum Front: String, Sendable, CaseIterable { case terminal, headless, framebuffer }

    /// Where and how the framebuffer front draws, and the touch panel it listens to.
    public struct FramebufferSettings: Sendable, Equatable {
        /// /dev/fb0, or a regular file (tests, `--fb-file`).
        public var path = "/dev/fb0"
        /// For a file, which cannot say its own geometry.
        public var width = 1080
        public var height = 1920
        public var bitsPerPixel = 32
        public var theme = "standard"
        /// An evdev node (/dev/input/event0), or a FIFO carrying the same records; none for a screen without touch.
        public var touch: String?
        /// A USB keyboard's evdev node (or `auto`: every node with letters, digits, Enter and Escape, each held), for staff
        /// when touch fails; none by default.
        public var keyboard: String?
        /// The panel's axis ranges when the node cannot say them (a FIFO): xMin, xMax, yMin, yMax.
        public var touchRange: [Int] = []
        /// libinput-style calibration matrix, the first two rows.
        public var calibration: [Double] = [1, 0, 0, 0, 1, 0]
        /// The panel mounted differently from the screen: swap the axes, mirror one.
        public var swapXY = false
        public var invertX = false
        public var invertY = false
        /// How the screen is mounted, clockwise: 0, 90, 180 or 270.
        public var rotation = 0
        public var font = "DejaVu Sans"
        /// How far a finger may drift on a tap, in millimetres on the panel (beyond it, a finger still on its button taps).
        public var touchSlopMillimetres = 20.0
        /// The screen's pixel pitch in millimetres, to measure the slop on a panel that does not report its resolution.
        public var pixelPitchMillimetres = 0.28

        public init() {}
    }
    public enum CentralKind: String, Sendable, CaseIterable {
        case inProcess = "in-process"
        case http
    }

    public var kioskID: String
    public var location: String
    public var language: Language
    public var front: Front
    public var stateDirectory: String
    public var controlSocket: String
    public var flowsDirectory: String
    public var callStaffFlow: String
    public var profilesDirectory: String
    public var activeDevices: [String]
    public var central: CentralKind
    public var centralLatencyMillis: Int
    /// The central's base URL and this kiosk's token file (mode 0600), for `kind: http`.
    public var centralURL: URL?
    public var centralTokenFile: String?
    /// PEM file of the CAs to trust for an `https` central, instead of the system's.
    public var centralCABundle: String?
    /// How long the online fast path waits for the central before the flow takes its offline branch.
    public var fastPathMillis: Int
    /// How long delivered outbox entries keep their metadata.
    public var retentionDays: Int
    /// The longest wait between two tries of an outbox entry.
    public var retryCapSeconds: Int
    /// How long the central may be unreachable before staff get a fault (default 300 s).
    public var unreachableFaultSeconds: Int
    public var logLevel: String
    public var framebuffer = FramebufferSettings()
    public var alerts = AlertSettings()
    public var speech = SpeechSettings()
    /// Whom the kiosk trusts to sign documents (`documents:`).
    var documents = DocumentTrust.Settings()
    /// The file it was read from, for the diagnostic bundle.
    public var sourcePath: String?
    /// URLs allowed in clear by `allowPlainHTTP: true`, warned about at every start (`central http://…`).
    public var plainHTTP: [String] = []

    public static let defaultName = "kioskd.yaml"

    /// Parses a config file's text; `path` locates it, both for messages and for resolving relative paths.
    public static func parse(_ text: String, path: String) -> Result<KioskConfig, ConfigError> {
        var issues: [SourceIssue] = []
        guard let top = YAMLMap.document(text, file: path, issues: &issues) else { return .failure(ConfigError(issues)) }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let base = URL(fileURLWithPath: absolute).deletingLastPathComponent()
        func resolve(_ p: String) -> String {
            p.hasPrefix("/") ? p : base.appendingPathComponent(p).standardized.path
        }
        top.rejectUnknownKeys(
            [
                "kiosk", "front", "state", "controlSocket", "flows", "callStaffFlow", "devices", "central", "log", "framebuffer",
                "alerts", "metrics", "usb", "documents", "allowPlainHTTP", "speech",
            ],
            in: "the config",
            issues: &issues)
        let kiosk = top.map("kiosk", in: "the config", issues: &issues)
        kiosk?.rejectUnknownKeys(["id", "location", "language"], in: "kiosk", issues: &issues)
        let id = kiosk?.string("id", in: "kiosk", issues: &issues)
        let location = kiosk?.string("location", required: false, in: "kiosk", issues: &issues) ?? ""
        let language = kiosk?.word("language", as: Language.self, required: false, in: "kiosk", issues: &issues) ?? .nl
        let front = top.word("front", as: Front.self, required: false, in: "the config", issues: &issues) ?? .terminal
        let state = top.string("state", in: "the config", issues: &issues)
        let socket = top.string("controlSocket", in: "the config", issues: &issues)
        let flows = top.string("flows", in: "the config", issues: &issues)
        let callStaff = top.string("callStaffFlow", required: false, in: "the config", issues: &issues) ?? "call-staff"
        let devices = top.map("devices", in: "the config", issues: &issues)
        devices?.rejectUnknownKeys(["profiles", "active"], in: "devices", issues: &issues)
        let profiles = devices?.string("profiles", in: "devices", issues: &issues)
        let active = devices?.strings("active", in: "devices", issues: &issues)?.map(\.0) ?? []
        let central = top.map("central", in: "the config", issues: &issues)
        central?.rejectUnknownKeys(
            [
                "kind", "latencyMillis", "url", "tokenFile", "caBundle", "fastPathMillis", "retentionDays", "retryCapSeconds",
                "unreachableFaultSeconds",
            ],
            in: "central",
            issues: &issues)
        let centralKind = central?.word("kind", as: CentralKind.self, in: "central", issues: &issues) ?? .inProcess
        let latency = central?.int("latencyMillis", in: "central", range: 0...60_000, issues: &issues) ?? 300
        let fastPath = central?.int("fastPathMillis", in: "central", range: 100...60_000, issues: &issues) ?? 3000
        let retention = central?.int("retentionDays", in: "central", range: 1...365, issues: &issues) ?? 7
        let retryCap = central?.int("retryCapSeconds", in: "central", range: 1...86_400, issues: &issues) ?? 300
        let unreachableFault =
            central?.int("unreachableFaultSeconds", in: "central", range: 1...86_400, issues: &issues) ?? 300
        var url: URL?
        var tokenFile: String?
        var caBundle: String?
        if centralKind == .http, let central {
            caBundle = central.string("caBundle", required: false, in: "central", issues: &issues).map(resolve)
            if let text = central.string("url", in: "central", issues: &issues) {
                url = URL(string: text)
                if url?.scheme != "http" && url?.scheme != "https" || url?.host == nil {
                    issues.append(SourceIssue(central.location(of: "url"), "url '\(text)' must be an http or https address"))
                }
            }
            tokenFile = central.string("tokenFile", in: "central", issues: &issues).map(resolve)
        }
        var framebuffer = FramebufferSettings()
        if let fb = top.map("framebuffer", required: false, in: "the config", issues: &issues) {
            fb.rejectUnknownKeys(
                [
                    "path", "width", "height", "bitsPerPixel", "theme", "touch", "keyboard", "touchRange", "calibration",
                    "rotation", "font", "swapXY", "invertX", "invertY", "touchSlopMillimetres", "pixelPitchMillimetres",
                ],
                in: "framebuffer",
                issues: &issues)
            framebuffer.path =
                fb.string("path", required: false, in: "framebuffer", issues: &issues).map(resolve) ?? framebuffer.path
            framebuffer.width = fb.int("width", in: "framebuffer", range: 1...8192, issues: &issues) ?? framebuffer.width
            framebuffer.height = fb.int("height", in: "framebuffer", range: 1...8192, issues: &issues) ?? framebuffer.height
            framebuffer.bitsPerPixel = fb.int("bitsPerPixel", in: "framebuffer", range: 1...64, issues: &issues) ?? 32
            framebuffer.theme = fb.string("theme", required: false, in: "framebuffer", issues: &issues) ?? "standard"
            framebuffer.rotation = fb.int("rotation", in: "framebuffer", range: 0...270, issues: &issues) ?? 0
            if framebuffer.rotation % 90 != 0 {
                issues.append(SourceIssue(fb.location(of: "rotation"), "rotation must be 0, 90, 180 or 270"))
            }
            framebuffer.font = fb.string("font", required: false, in: "framebuffer", issues: &issues) ?? framebuffer.font
            framebuffer.touchSlopMillimetres =
                fb.double("touchSlopMillimetres", in: "framebuffer", range: 1...100, issues: &issues) ?? 20
            framebuffer.pixelPitchMillimetres =
                fb.double("pixelPitchMillimetres", in: "framebuffer", range: 0.05...2, issues: &issues) ?? 0.28
            if !["standard", "high-contrast"].contains(framebuffer.theme) {
                issues.append(SourceIssue(fb.location(of: "theme"), "theme must be standard or high-contrast"))
            }
            framebuffer.touch = fb.string("touch", required: false, in: "framebuffer", issues: &issues).map {
                $0 == "auto" ? $0 : resolve($0)
            }
            framebuffer.keyboard = fb.string("keyboard", required: false, in: "framebuffer", issues: &issues).map {
                $0 == "auto" ? $0 : resolve($0)
            }
            for (key, path) in [("swapXY", \FramebufferSettings.swapXY), ("invertX", \.invertX), ("invertY", \.invertY)] {
                if let value = fb.bool(key, in: "framebuffer", issues: &issues) { framebuffer[keyPath: path] = value }
            }
            if let range = fb.strings("touchRange", required: false, in: "framebuffer", issues: &issues) {
                framebuffer.touchRange = range.compactMap { Int($0.0) }
                if framebuffer.touchRange.count != 4 {
                    issues.append(SourceIssue(fb.location(of: "touchRange"), "touchRange is [xMin, xMax, yMin, yMax]"))
                }
            }
            if let matrix = fb.strings("calibration", required: false, in: "framebuffer", issues: &issues) {
                framebuffer.calibration = matrix.compactMap { Double($0.0) }
                if framebuffer.calibration.count != 6 {
                    issues.append(
                        SourceIssue(fb.location(of: "calibration"), "calibration is six numbers: two rows of the matrix"))
                }
            }
        }
        let alerts = parseAlerts(top, resolve: resolve, issues: &issues)
        let plainHTTP = checkPlainHTTP(top, central: url, sinks: alerts.sinks, issues: &issues)
        let documents = parseDocuments(top, resolve: resolve, issues: &issues)
        let speech = parseSpeech(top, resolve: resolve, issues: &issues)
        let log = top.map("log", required: false, in: "the config", issues: &issues)
        log?.rejectUnknownKeys(["level"], in: "log", issues: &issues)
        let level = log?.string("level", required: false, in: "log", issues: &issues) ?? "info"
        if let socket, resolve(socket).utf8.count > 107 {
            issues.append(SourceIssue(top.location(of: "controlSocket"), "the control socket path is longer than 107 bytes"))
        }
        guard issues.isEmpty, let id, let state, let socket, let flows, let profiles else { return .failure(ConfigError(issues)) }
        var config = KioskConfig(
            kioskID: id, location: location, language: language, front: front, stateDirectory: resolve(state),
            controlSocket: resolve(socket), flowsDirectory: resolve(flows), callStaffFlow: callStaff,
            profilesDirectory: resolve(profiles), activeDevices: active, central: centralKind, centralLatencyMillis: latency,
            centralURL: url, centralTokenFile: tokenFile, centralCABundle: caBundle, fastPathMillis: fastPath,
            retentionDays: retention,
            retryCapSeconds: retryCap, unreachableFaultSeconds: unreachableFault, logLevel: level, framebuffer: framebuffer,
            alerts: alerts)
        config.documents = documents
        config.speech = speech
        config.plainHTTP = plainHTTP
        return .success(config)
    }

    /// The central and every sink over plain http to another machine: refused, unless `allowPlainHTTP: true` (a lab), when
    /// they are returned for kioskd to warn about at every start.
    static func checkPlainHTTP(_ top: YAMLMap, central: URL?, sinks: [AlertSink], issues: inout [SourceIssue]) -> [String] {
        let allowed = top.bool("allowPlainHTTP", in: "the config", issues: &issues) ?? false
        let exposed =
            [("central", central)].compactMap { what, url in url.flatMap { PlainHTTP.exposes($0) ? (what, $0) : nil } }
            + sinks.compactMap { sink in sink.url.flatMap { PlainHTTP.exposes($0) ? ("alerts sink \(sink.name)", $0) : nil } }
        let lines = exposed.map { "\($0.0) \($0.1.absoluteString.prefix(80))" }
        guard !allowed else { return lines }
        for (what, line) in zip(exposed.map(\.0), lines) {
            issues.append(
                SourceIssue(
                    top.location(of: what == "central" ? "central" : "alerts"),
                    "\(line) is plain http to another machine: BSNs and names would cross the network in clear; use https, "
                        + "or set allowPlainHTTP: true for a lab"))
        }
        return []
    }

    /// `documents:`: a master list and the root it is signed under, its age limit, and single CSCA files.
    static func parseDocuments(_ top: YAMLMap, resolve: (String) -> String, issues: inout [SourceIssue])
        -> DocumentTrust.Settings
    {
        var settings = DocumentTrust.Settings()
        guard let map = top.map("documents", required: false, in: "the config", issues: &issues) else { return settings }
        map.rejectUnknownKeys(
            ["masterList", "masterListRoot", "masterListMaxAgeDays", "cscaFiles"], in: "documents", issues: &issues)
        settings.masterList = map.string("masterList", required: false, in: "documents", issues: &issues).map(resolve)
        settings.masterListRoot = map.string("masterListRoot", required: false, in: "documents", issues: &issues).map(resolve)
        settings.maxAgeDays = map.int("masterListMaxAgeDays", in: "documents", range: 1...3650, issues: &issues) ?? 180
        settings.cscaFiles =
            map.strings("cscaFiles", required: false, in: "documents", issues: &issues)?.map { resolve($0.0) } ?? []
        if (settings.masterList == nil) != (settings.masterListRoot == nil) {
            issues.append(
                SourceIssue(map.location, "masterList and masterListRoot go together: a list is checked against its root"))
        }
        return settings
    }

    public static func load(path: String) -> Result<KioskConfig, ConfigError> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(ConfigError(message: "cannot read the config file \(path)"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(ConfigError(message: "\(path) is not UTF-8 text"))
        }
        return parse(text, path: path).map {
            var config = $0
            config.sourcePath = path
            return config
        }
    }

    /// The config file as a technician may share it: values of keys that smell of secrets are blanked. (Tokens live in
    /// their own files, so this is a second line of defence.)
    public func redactedSource() -> String? {
        guard let sourcePath, let text = try? String(contentsOfFile: sourcePath, encoding: .utf8) else { return nil }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let lower = line.lowercased()
            guard ["token", "password", "secret", "key:"].contains(where: { lower.contains($0) }), !lower.contains("file:"),
                let colon = line.firstIndex(of: ":")
            else { return String(line) }
            return line[...colon] + " <redacted>"
        }.joined(separator: "\n")
    }
}

/// Why kioskd will not start: one line per problem.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public let lines: [String]

    public init(_ issues: [SourceIssue]) { lines = issues.map(\.description) }
    public init(message: String) { lines = [message] }
    public init(lines: [String]) { self.lines = lines }

    public var description: String { lines.joined(separator: "\n") }
}
