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
        let document: XMLDocument
        do {
            document = try XMLDocument(data: data, options: [.nodeLoadExternalEntitiesNever])
        } catch {
            throw OPIError(.malformed, "not well-formed XML")
        }
        guard let root = document.rootElement(), let name = root.localName else {
            throw OPIError(.malformed, "no root element")
        }
        guard let kind = Kind(rawValue: name) else {
            throw OPIError(.unexpectedMessage, "root element <\(String(name.prefix(40)))> is not an OPI message")
        }
        if let uri = root.uri, !uri.isEmpty, uri != namespace {
            throw OPIError(.unexpectedMessage, "namespace '\(String(uri.prefix(80)))' is not OPI's")
        }
        var message = OPIMessage(kind: kind, root: element(root))
        message.namespace = root.uri.flatMap { $0.isEmpty ? nil : $0 }
        var required = ["RequestType", "RequestID", "WorkstationID"]
        if kind.isResponse { required.append("OverallResult") }
        for attribute in required where message.root[attribute] == nil {
            throw OPIError(.invalid, "<\(name)> has no \(attribute)")
        }
        return message
    }

    init(kind: Kind, root: OPIElement) {
        self.kind = kind
        self.root = root
    }

    private static func element(_ node: XMLElement) -> OPIElement {
        var attributes: [String: String] = [:]
        for attribute in node.attributes ?? [] {
            guard let name = attribute.localName ?? attribute.name else { continue }
            // xsi:schemaLocation and the like say nothing OPI reads.
            if attribute.prefix == "xsi" || attribute.name?.hasPrefix("xmlns") == true { continue }
            attributes[name] = attribute.stringValue ?? ""
        }
        var children: [OPIElement] = []
        var text = ""
        for child in node.children ?? [] {
            if let element = child as? XMLElement {
                children.append(Self.element(element))
            } else if child.kind == .text {
                text += child.stringValue ?? ""
            }
        }
        return OPIElement(
            node.localName ?? node.name ?? "", attributes, children: children,
            text: text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    // MARK: - Writing

    /// The message as UTF-8 XML, in OPI's namespace.
    public func xml() -> Data {
        let root = Self.node(self.root)
        root.addNamespace(XMLNode.namespace(withName: "", stringValue: Self.namespace) as! XMLNode)
        let document = XMLDocument(rootElement: root)
        document.version = "1.0"
        document.characterEncoding = "UTF-8"
        return document.xmlData(options: [])
    }

    private static func node(_ element: OPIElement) -> XMLElement {
        let node = XMLElement(name: element.name)
        for (name, value) in element.attributes.sorted(by: { $0.key < $1.key }) {
            node.addAttribute(XMLNode.attribute(withName: name, stringValue: value) as! XMLNode)
        }
        if !element.text.isEmpty { node.stringValue = element.text }
        for child in element.children { node.addChild(Self.node(child)) }
        return node
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
