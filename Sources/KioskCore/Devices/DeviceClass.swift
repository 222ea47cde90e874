/// The classes of device a kiosk drives, after XFS4IoT's service classes.
///
/// Flows name the classes they need (`requires:`), device profiles name the class they provide, and a flow whose class has a
/// blocking fault is not offered.
public enum DeviceClass: String, Sendable, CaseIterable, Codable, Hashable {
    case cardReader
    case printer
    case scanner
    case display
    case paymentTerminal
}

extension DeviceClass {
    /// How staff call it, in the Dutch fault texts.
    public var dutchName: String {
        switch self {
        case .cardReader: "Kaartlezer"
        case .printer: "Printer"
        case .scanner: "Scanner"
        case .display: "Scherm"
        case .paymentTerminal: "Betaalautomaat"
        }
    }
}
