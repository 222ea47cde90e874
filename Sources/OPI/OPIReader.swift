import Foundation
import FoundationXML

/// Builds the element tree of one message from the parser's events (XMLParser, on libxml2, with namespaces).
final class OPIReader: NSObject, XMLParserDelegate {
    /// Deeper than any OPI message, and far below what could exhaust a stack.
    static let maximumDepth = 16

    private var stack: [OPIElement] = []
    private var rootURI: String?
    private(set) var root: (OPIElement, String?)?

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        guard stack.count < Self.maximumDepth else {
            parser.abortParsing()
            return
        }
        if stack.isEmpty { rootURI = namespaceURI.flatMap { $0.isEmpty ? nil : $0 } }
        var kept: [String: String] = [:]
        for (key, value) in attributes where !key.hasPrefix("xmlns") && !key.contains(":") { kept[key] = value }
        stack.append(OPIElement(name, kept))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA block: Data) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += String(decoding: block, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        guard var element = stack.popLast() else { return }
        element.text = element.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if stack.isEmpty {
            root = (element, rootURI)
        } else {
            stack[stack.count - 1].children.append(element)
        }
    }
}
