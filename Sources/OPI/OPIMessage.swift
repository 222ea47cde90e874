public import Foundation
import FoundationXML

/// An OPI message (IFSF Open Payment Initiative): the root element, its common attributes, and the element tree.
///
/// Channel 0 carries the kiosk's `CardServiceRequest` and `ServiceRequest` and the terminal's responses; channel 1 the
/// terminal's `DeviceRequest` (display a text, print a receipt) and the kiosk's `DeviceResponse`. All roots carry
/// `RequestType`, `RequestID` and `WorkstationID`; responses add `OverallResult`.
public struct OPIMessage: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case cardServiceRequest = "CardServiceRequest"
        case cardServiceResponse = "CardServiceResponse"
        case serviceRequest = "ServiceRequest"
        case serviceResponse = "ServiceResponse"
        case deviceRequest = "DeviceRequest"
        case deviceResponse = "DeviceResponse"

        public var isResponse: Bool { [.cardServiceResponse, .serviceResponse, .deviceResponse].contains(self) }
    }

    /// The IXRetail namespace OPI messages are in. Some terminals send channel-1 messages without one.
    public static let namespace = "http://www.nrf-arts.org/IXRetail/namespace"

    public var kind: Kind
    public var root: OPIElement
    /// The root's namespace as read (nil for none); written messages are always in OPI's.
    public var namespace: String?

    public init(_ kind: Kind, _ attributes: [String: String], children: [OPIElement] = []) {
        self.kind = kind
        root = OPIElement(kind.rawValue, attributes, children: children)
        namespace = Self.namespace
    }

    public var requestType: String { root["RequestType"] ?? "" }
    public var requestID: String { root["RequestID"] ?? "" }
    public var workstationID: String { root["WorkstationID"] ?? "" }
    public var overallResult: String? { root["OverallResult"] }

    // MARK: - Reading

    /// Reads one frame's XML. Refuses a DTD, a root that is not an OPI message, a namespace other than OPI's, and a root
    /// without `RequestType`, `RequestID` or `WorkstationID` (responses: also `OverallResult`).
    /// - throws: ``OPIError``
    public static func parse(_ data: Data) throws(OPIError) -> OPIMessage {
        // No DTD, so no entities: "<!" is only allowed for comments and CDATA.
        if let text = String(data: data.prefix(4096), encoding: .isoLatin1), text.uppercased().contains("<!DOCTYPE") {
            throw OPIError(.malformed, "a DTD, which OPI messages never have")
        }
        let reader = OPIReader()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        guard parser.parse(), let (root, uri) = reader.root else {
            throw OPIError(.malformed, "not well-formed XML")
        }
        guard let kind = Kind(rawValue: root.name) else {
            throw OPIError(.unexpectedMessage, "root element <\(String(root.name.prefix(40)))> is not an OPI message")
        }
        if let uri, uri != namespace {
            throw OPIError(.unexpectedMessage, "namespace '\(String(uri.prefix(80)))' is not OPI's")
        }
        var message = OPIMessage(kind: kind, root: root)
        message.namespace = uri
        var required = ["RequestType", "RequestID", "WorkstationID"]
        if kind.isResponse { required.append("OverallResult") }
        for attribute in required where message.root[attribute] == nil {
            throw OPIError(.invalid, "<\(root.name)> has no \(attribute)")
        }
        return message
    }

    init(kind: Kind, root: OPIElement) {
        self.kind = kind
        self.root = root
    }

    // MARK: - Writing

    /// The message as UTF-8 XML, in OPI's namespace.
    public func xml() -> Data {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        Self.write(root, namespace: Self.namespace, into: &text)
        return Data(text.utf8)
    }

    private static func write(_ element: OPIElement, namespace: String?, into text: inout String) {
        text += "<" + element.name
        if let namespace { text += " xmlns=\"\(escape(namespace))\"" }
        for (name, value) in element.attributes.sorted(by: { $0.key < $1.key }) {
            text += " \(name)=\"\(escape(value))\""
        }
        guard !element.children.isEmpty || !element.text.isEmpty else {
            text += "/>"
            return
        }
        text += ">" + escape(element.text)
        for child in element.children { write(child, namespace: nil, into: &text) }
        text += "</\(element.name)>"
    }

    /// The five characters XML reserves, as entities; control characters other than tab and line breaks are dropped,
    /// since XML 1.0 cannot carry them at all.
    static func escape(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case _ where scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r": continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    // MARK: - Amounts

    /// 1440 → "14.40": OPI amounts are decimal currency units with a point.
    public static func amount(_ cents: Int) -> String {
        let rest = abs(cents) % 100
        return "\(cents < 0 ? "-" : "")\(abs(cents) / 100).\(rest < 10 ? "0" : "")\(rest)"
    }

    /// "14.40", "14.4" or "14" → 1440; nil for anything else (a sign, an exponent, more than two decimals).
    public static func cents(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, !whole.isEmpty, whole.count <= 9,
            whole.allSatisfy({ $0.isASCII && $0.isNumber }), let euros = Int(whole)
        else { return nil }
        guard parts.count == 2 else { return euros * 100 }
        let fraction = parts[1]
        guard (1...2).contains(fraction.count), fraction.allSatisfy({ $0.isASCII && $0.isNumber }),
            let value = Int(fraction)
        else { return nil }
        return euros * 100 + (fraction.count == 1 ? value * 10 : value)
    }
}
