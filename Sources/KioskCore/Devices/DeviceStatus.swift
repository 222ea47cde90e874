/// What a device says about itself, in one vocabulary for every class (XFS4IoT common status, UnifiedPOS power and health states).
///
/// The core only needs to know whether a status blocks the flows that need the device; drivers fill in the detail for technicians.
public struct DeviceStatus: Sendable, Equatable, Codable {
    /// The device's overall state.
    public enum State: String, Sendable, Codable, CaseIterable {
        case online, offline, busy, noDevice, hardwareError, userError
    }

    /// A printer's paper supply.
    public enum Paper: String, Sendable, Codable, CaseIterable {
        case full, low, out, jammed
    }

    /// Whether a card (or document) sits in the reader.
    public enum Media: String, Sendable, Codable, CaseIterable {
        case present, notPresent, jammed
    }

    public var state: State
    public var paper: Paper?
    public var media: Media?
    /// Why, in one line for staff, when the driver knows more than the state says: which queue is stopped and the command
    /// that starts it again. Never personal data.
    public var detail: String?

    public init(state: State, paper: Paper? = nil, media: Media? = nil, detail: String? = nil) {
        self.state = state
        self.paper = paper
        self.media = media
        self.detail = detail
    }

    public static let online = DeviceStatus(state: .online)
    public static let noDevice = DeviceStatus(state: .noDevice)

    /// True when a flow that needs this device cannot be served.
    ///
    /// Low paper still prints; out of paper or a jam does not. A busy device is working, not broken.
    public var isBlocking: Bool {
        switch state {
        case .online, .busy:
            return paper == .out || paper == .jammed || media == .jammed
        case .offline, .noDevice, .hardwareError, .userError:
            return true
        }
    }

    /// A short technician-facing summary, such as `online, paper low`.
    public var summary: String {
        var parts = [state.rawValue]
        if let paper { parts.append("paper \(paper.rawValue)") }
        if let media { parts.append("media \(media.rawValue)") }
        if let detail { parts.append(detail) }
        return parts.joined(separator: ", ")
    }
}
