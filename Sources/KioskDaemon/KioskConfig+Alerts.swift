public import Alerting
import Central
public import Foundation
public import KioskCore

/// The config's `alerts:`, `metrics:` and `usb:` sections: where faults go, how eager the checks are, what Prometheus scrapes.
public struct AlertSettings: Sendable {
    public var sinks: [AlertSink] = AlertSink.centralOnly
    public var book = FaultBook.Settings()
    public var checkSeconds = 10
    public var backlogEntries = 50
    public var oldestEntryMinutes = 30
    public var minFreeMegabytes = 200
    /// 0 turns the silent-touch check off.
    public var noTouchHours = 8
    /// `host:port` on loopback for Prometheus `/metrics`; none by default.
    public var metricsListen: (host: String, port: Int)?
    /// A JSON file of USB descriptors read instead of the bus (tests, a kiosk without libusb).
    public var usbDescriptors: String?

    public init() {}
}

extension KioskConfig {
    static func parseAlerts(_ top: YAMLMap, resolve: (String) -> String, issues: inout [SourceIssue]) -> AlertSettings {
        var settings = AlertSettings()
        if let alerts = top.map("alerts", required: false, in: "the config", issues: &issues) {
            alerts.rejectUnknownKeys(
                ["raiseSeconds", "clearSeconds", "flapLimit", "flapWindowSeconds", "checkSeconds", "checks", "sinks"],
                in: "alerts",
                issues: &issues)
            settings.book.raiseAfter = Double(alerts.int("raiseSeconds", in: "alerts", range: 0...3600, issues: &issues) ?? 0)
            settings.book.clearAfter = Double(
                alerts.int("clearSeconds", in: "alerts", range: 0...3600, issues: &issues) ?? Int(settings.book.clearAfter))
            settings.book.flapLimit = alerts.int("flapLimit", in: "alerts", range: 1...100, issues: &issues) ?? 3
            settings.book.flapWindow = Double(
                alerts.int("flapWindowSeconds", in: "alerts", range: 1...86_400, issues: &issues) ?? 600)
            settings.checkSeconds = alerts.int("checkSeconds", in: "alerts", range: 1...3600, issues: &issues) ?? 10
            if let checks = alerts.map("checks", required: false, in: "alerts", issues: &issues) {
                checks.rejectUnknownKeys(
                    ["backlogEntries", "oldestEntryMinutes", "minFreeMegabytes", "noTouchHours"], in: "alerts.checks",
                    issues: &issues)
                settings.backlogEntries =
                    checks.int("backlogEntries", in: "alerts.checks", range: 1...1_000_000, issues: &issues) ?? 50
                settings.oldestEntryMinutes =
                    checks.int("oldestEntryMinutes", in: "alerts.checks", range: 1...100_000, issues: &issues) ?? 30
                settings.minFreeMegabytes =
                    checks.int("minFreeMegabytes", in: "alerts.checks", range: 0...1_000_000, issues: &issues) ?? 200
                settings.noTouchHours = checks.int("noTouchHours", in: "alerts.checks", range: 0...720, issues: &issues) ?? 8
            }
            if let sinks = alerts.maps("sinks", required: false, in: "alerts", issues: &issues) {
                settings.sinks = []
                for map in sinks {
                    let name = map.has("name") ? map.string("name", in: "a sink", issues: &issues) : nil
                    if let name, settings.sinks.contains(where: { $0.name == name }) {
                        issues.append(SourceIssue(map.location(of: "name"), "two sinks are named '\(name.prefix(40))'"))
                    }
                    if let sink = parseSink(map, resolve: resolve, issues: &issues) { settings.sinks.append(sink) }
                }
            }
        }
        if let metrics = top.map("metrics", required: false, in: "the config", issues: &issues) {
            metrics.rejectUnknownKeys(["listen"], in: "metrics", issues: &issues)
            if let text = metrics.string("listen", in: "metrics", issues: &issues) {
                let parts = text.split(separator: ":", omittingEmptySubsequences: false)
                let host = parts.dropLast().joined(separator: ":")
                if let port = parts.last.flatMap({ Int($0) }), (0...65_535).contains(port),
                    ["127.0.0.1", "localhost", "[::1]"].contains(host)
                {
                    settings.metricsListen = (host == "[::1]" ? "::1" : host, port)
                } else {
                    issues.append(
                        SourceIssue(
                            metrics.location(of: "listen"),
                            "listen '\(text.prefix(60))' must be a loopback address and port, such as 127.0.0.1:9464"))
                }
            }
        }
        if let usb = top.map("usb", required: false, in: "the config", issues: &issues) {
            usb.rejectUnknownKeys(["descriptors"], in: "usb", issues: &issues)
            settings.usbDescriptors = usb.string("descriptors", required: false, in: "usb", issues: &issues).map(resolve)
        }
        return settings
    }

    static func parseSink(_ map: YAMLMap, resolve: (String) -> String, issues: inout [SourceIssue]) -> AlertSink? {
        let what = "a sink"
        map.rejectUnknownKeys(
            [
                "name", "kind", "url", "refreshSeconds", "timeoutSeconds", "tokenFile", "basicAuthFile", "silenceHours",
                "caFile", "certFile", "keyFile",
            ], in: what,
            issues: &issues)
        guard let kind = map.word("kind", as: AlertSink.Kind.self, in: what, issues: &issues) else { return nil }
        let name = map.string("name", required: false, in: what, issues: &issues) ?? kind.rawValue
        guard name.range(of: "^[a-z0-9][a-z0-9-]{0,39}$", options: .regularExpression) != nil else {
            issues.append(
                SourceIssue(map.location(of: "name"), "sink name '\(name.prefix(40))' must be lowercase letters, digits and -"))
            return nil
        }
        var sink = AlertSink(name: name, kind: kind)
        sink.timeoutSeconds = map.int("timeoutSeconds", in: what, range: 1...60, issues: &issues) ?? 5
        guard kind != .central else {
            if map.has("url") { issues.append(SourceIssue(map.location(of: "url"), "a central sink uses the central's url")) }
            return sink
        }
        if let text = map.string("url", in: what, issues: &issues) {
            let url = URL(string: text)
            if url?.scheme != "http" && url?.scheme != "https" || url?.host == nil {
                issues.append(SourceIssue(map.location(of: "url"), "url '\(text.prefix(80))' must be an http or https address"))
            }
            sink.url = url
        }
        sink.tokenFile = map.string("tokenFile", required: false, in: what, issues: &issues).map(resolve)
        sink.basicAuthFile = map.string("basicAuthFile", required: false, in: what, issues: &issues).map(resolve)
        sink.tls = ClientTLS(
            caBundle: map.string("caFile", required: false, in: what, issues: &issues).map(resolve),
            certificate: map.string("certFile", required: false, in: what, issues: &issues).map(resolve),
            key: map.string("keyFile", required: false, in: what, issues: &issues).map(resolve))
        for key in ["caFile", "certFile", "keyFile"] where map.has(key) && sink.url?.scheme != "https" {
            issues.append(SourceIssue(map.location(of: key), "\(key) is for an https url"))
        }
        if sink.tokenFile != nil && sink.basicAuthFile != nil {
            issues.append(SourceIssue(map.location(of: "basicAuthFile"), "a sink takes tokenFile or basicAuthFile, not both"))
        }
        if map.has("silenceHours") && kind != .alertmanager {
            issues.append(SourceIssue(map.location(of: "silenceHours"), "silenceHours is for an alertmanager sink"))
        }
        sink.silenceHours = map.int("silenceHours", in: what, range: 0...720, issues: &issues) ?? 24
        let refresh = map.int("refreshSeconds", in: what, range: 5...3600, issues: &issues)
        sink.refreshSeconds = refresh ?? (kind == .alertmanager ? 60 : nil)
        return sink
    }
}
