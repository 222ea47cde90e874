/// One XML element of an OPI message: its local name, attributes, children and text. Namespaces are checked once, at the
/// root, by ``OPIMessage/parse(_:)``; below it OPI uses only its own.
public struct OPIElement: Sendable, Equatable {
    public var name: String
    public var attributes: [String: String]
    public var children: [OPIElement]
    public var text: String

    public init(_ name: String, _ attributes: [String: String] = [:], children: [OPIElement] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    public subscript(_ attribute: String) -> String? { attributes[attribute] }

    public func child(_ name: String) -> OPIElement? { children.first { $0.name == name } }

    public func children(_ name: String) -> [OPIElement] { children.filter { $0.name == name } }

    /// The element at a path of child names, like `Tender/Authorisation`.
    public func find(_ path: String) -> OPIElement? {
        var current: OPIElement? = self
        for name in path.split(separator: "/") { current = current?.child(String(name)) }
        return current
    }
}
