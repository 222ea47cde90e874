import Central
package import Foundation
import KioskCore

/// `kiosk-central --backend commonground --config FILE`: where the municipality's APIs are, how to authenticate to each,
/// and which catalogue entries the kiosk's operations map onto. Secrets are read from files of mode 0600.
///
/// ```yaml
/// organisation: "002564440"          # the municipality's RSIN: bronorganisatie of every zaak and document
/// channel: Zelfbedieningszuil Stadswinkel
/// journalKeyFile: /etc/kiosk-central/journal.key
/// brp: {url: https://…/haalcentraal/api/brp, apiKeyFile: /etc/kiosk-central/brp.key}
/// zgw: {catalogi: …, zaken: …, documenten: …, clientId: kiosk-gateway, secretFile: /etc/kiosk-central/zgw.secret}
/// klantinteracties: {url: https://…/klantinteracties/api/v1, tokenFile: /etc/kiosk-central/openklant.token}
/// extract: {zaaktype: UITTREKSEL-BRP, received: Ontvangen, closed: Afgehandeld, documentType: Uittreksel BRP}
/// pickup:
///   ready: Gereed voor afhalen
///   collected: Uitgereikt
///   zaaktypen: {passport: AFHALEN-PASPOORT, idCard: AFHALEN-ID-KAART, drivingLicence: AFHALEN-RIJBEWIJS}
/// ```
package struct BackOfficeConfig: Sendable {
    package var organisation: String
    package var channel: String
    package var identificationPrefix = "KSK-"
    package var timeoutSeconds = 10
    package var journalKey: Data
    package var brpURL: String
    package var brpAuthentication: BRPAuthentication
    package var catalogiURL: String
    package var zakenURL: String
    package var documentenURL: String
    package var zgwClientID: String
    package var zgwSecret: String
    package var klantinteractiesURL: String
    package var klantToken: String
    package var extract: ExtractMapping
    package var pickup: PickupMapping

    package enum BRPAuthentication: Sendable {
        case apiKey(header: String, value: String)
        case mutualTLS(certificate: String, key: String, trust: String?)
    }

    package struct ExtractMapping: Sendable {
        package var zaaktype: String
        package var received: String
        package var closed: String
        package var documentType: String
    }

    package struct PickupMapping: Sendable {
        package var ready: String
        package var collected: String
        package var kenmerkSource = "afhaalcode"
        /// documentKind (passport, idCard, drivingLicence) → zaaktype identificatie.
        package var zaaktypen: [String: String]
    }

    /// Reads and checks the file; every problem is one line with file:line:column.
    package static func load(path: String) throws(ConfigurationError) -> BackOfficeConfig {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigurationError("cannot read the back-office configuration \(path)")
        }
        var issues: [SourceIssue] = []
        let config = parse(text, file: path, issues: &issues)
        guard issues.isEmpty, let config else {
            throw ConfigurationError(issues.map(\.description).joined(separator: "\n"))
        }
        return config
    }

    static func parse(_ text: String, file: String, issues: inout [SourceIssue]) -> BackOfficeConfig? {
        guard let top = YAMLMap.document(text, file: file, issues: &issues) else { return nil }
        let what = "the back-office configuration"
        top.rejectUnknownKeys(
            [
                "organisation", "channel", "identificationPrefix", "timeoutSeconds", "journalKeyFile", "brp", "zgw",
                "klantinteracties", "extract", "pickup",
            ], in: what, issues: &issues)
        let organisation = top.string("organisation", in: what, issues: &issues)
        if let organisation, organisation.count != 9 || !organisation.allSatisfy(\.isASCIIDigit) {
            issues.append(SourceIssue(top.location(of: "organisation"), "organisation must be the nine-digit RSIN"))
        }
        let channel = top.string("channel", in: what, issues: &issues)
        let prefix = top.string("identificationPrefix", required: false, in: what, issues: &issues) ?? "KSK-"
        if prefix.count > 8 { issues.append(SourceIssue(top.location(of: "identificationPrefix"), "at most 8 characters")) }
        let timeout = top.int("timeoutSeconds", in: what, range: 1...120, issues: &issues) ?? 10
        let key = secret(top, "journalKeyFile", in: what, issues: &issues).flatMap { text -> Data? in
            guard let data = Data(base64Encoded: text), data.count == 32 else {
                issues.append(SourceIssue(top.location(of: "journalKeyFile"), "the journal key must be 32 bytes, base64"))
                return nil
            }
            return data
        }
        let brp = brpSection(top, issues: &issues)
        let zgw = top.map("zgw", in: what, issues: &issues)
        zgw?.rejectUnknownKeys(["catalogi", "zaken", "documenten", "clientId", "secretFile"], in: "zgw", issues: &issues)
        let klant = top.map("klantinteracties", in: what, issues: &issues)
        klant?.rejectUnknownKeys(["url", "tokenFile"], in: "klantinteracties", issues: &issues)
        let extract = top.map("extract", in: what, issues: &issues)
        extract?.rejectUnknownKeys(["zaaktype", "received", "closed", "documentType"], in: "extract", issues: &issues)
        let pickup = top.map("pickup", in: what, issues: &issues)
        pickup?.rejectUnknownKeys(["ready", "collected", "kenmerkSource", "zaaktypen"], in: "pickup", issues: &issues)
        let kinds = pickup?.map("zaaktypen", in: "pickup", issues: &issues)
        kinds?.rejectUnknownKeys(["passport", "idCard", "drivingLicence"], in: "pickup zaaktypen", issues: &issues)
        var zaaktypen: [String: String] = [:]
        for kind in ["passport", "idCard", "drivingLicence"] {
            zaaktypen[kind] = kinds?.string(kind, required: false, in: "pickup zaaktypen", issues: &issues)
        }
        guard let organisation, let channel, let key, let brp, let zgw, let klant, let extract, let pickup,
            let catalogi = url(zgw, "catalogi", issues: &issues), let zaken = url(zgw, "zaken", issues: &issues),
            let documenten = url(zgw, "documenten", issues: &issues),
            let clientID = zgw.string("clientId", in: "zgw", issues: &issues),
            let zgwSecret = secret(zgw, "secretFile", in: "zgw", issues: &issues),
            let klantURL = url(klant, "url", issues: &issues),
            let token = secret(klant, "tokenFile", in: "klantinteracties", issues: &issues),
            let zaaktype = extract.string("zaaktype", in: "extract", issues: &issues),
            let received = extract.string("received", in: "extract", issues: &issues),
            let closed = extract.string("closed", in: "extract", issues: &issues),
            let documentType = extract.string("documentType", in: "extract", issues: &issues),
            let ready = pickup.string("ready", in: "pickup", issues: &issues),
            let collected = pickup.string("collected", in: "pickup", issues: &issues)
        else { return nil }
        guard zgwSecret.utf8.count >= 32 else {
            // HS256 with a key shorter than its hash is weak, and jwt-kit refuses one.
            issues.append(SourceIssue(zgw.location(of: "secretFile"), "the ZGW secret must be at least 32 bytes"))
            return nil
        }
        var config = BackOfficeConfig(
            organisation: organisation, channel: channel, journalKey: key, brpURL: brp.url,
            brpAuthentication: brp.authentication, catalogiURL: catalogi, zakenURL: zaken, documentenURL: documenten,
            zgwClientID: clientID, zgwSecret: zgwSecret, klantinteractiesURL: klantURL, klantToken: token,
            extract: ExtractMapping(zaaktype: zaaktype, received: received, closed: closed, documentType: documentType),
            pickup: PickupMapping(ready: ready, collected: collected, zaaktypen: zaaktypen))
        config.identificationPrefix = prefix
        config.timeoutSeconds = timeout
        if let source = pickup.string("kenmerkSource", required: false, in: "pickup", issues: &issues) {
            config.pickup.kenmerkSource = source
        }
        return config
    }

    static func brpSection(_ top: YAMLMap, issues: inout [SourceIssue]) -> (url: String, authentication: BRPAuthentication)? {
        guard let brp = top.map("brp", in: "the back-office configuration", issues: &issues) else { return nil }
        brp.rejectUnknownKeys(
            ["url", "apiKeyFile", "apiKeyHeader", "certificate", "key", "trust"], in: "brp", issues: &issues)
        guard let url = url(brp, "url", issues: &issues) else { return nil }
        if brp.has("apiKeyFile") {
            guard let key = secret(brp, "apiKeyFile", in: "brp", issues: &issues) else { return nil }
            let header = brp.string("apiKeyHeader", required: false, in: "brp", issues: &issues) ?? "X-API-KEY"
            return (url, .apiKey(header: header, value: key))
        }
        guard brp.has("certificate"), brp.has("key") else {
            issues.append(SourceIssue(brp.location, "brp needs apiKeyFile, or certificate and key for mutual TLS"))
            return nil
        }
        // The private key, like every secret, must be its owner's alone.
        guard let certificate = brp.string("certificate", in: "brp", issues: &issues),
            let key = brp.string("key", in: "brp", issues: &issues), secret(brp, "key", in: "brp", issues: &issues) != nil
        else { return nil }
        return (
            url,
            .mutualTLS(
                certificate: certificate, key: key, trust: brp.string("trust", required: false, in: "brp", issues: &issues))
        )
    }

    static func url(_ map: YAMLMap, _ key: String, issues: inout [SourceIssue]) -> String? {
        guard let text = map.string(key, in: key, issues: &issues) else { return nil }
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            issues.append(SourceIssue(map.location(of: key), "'\(key)' must be an http or https URL"))
            return nil
        }
        return text
    }

    /// A secret from a file of mode 0600, as one issue at the key when it cannot be had.
    static func secret(_ map: YAMLMap, _ key: String, in what: String, issues: inout [SourceIssue]) -> String? {
        guard let path = map.string(key, in: what, issues: &issues) else { return nil }
        do {
            return try TokenFile.read(path)
        } catch {
            issues.append(SourceIssue(map.location(of: key), error.description))
            return nil
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
