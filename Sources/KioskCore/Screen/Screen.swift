/// What a front shows, already in the resident's language: the same value drives the terminal, the framebuffer and the tests.
///
/// A front draws it and maps touches, keys and clicks onto the ``Action``s of its buttons; it never decides what comes next.
public struct Screen: Sendable, Equatable {
    public struct Button: Sendable, Equatable {
        public var action: Action
        public var label: String

        public init(action: Action, label: String) {
            self.action = action
            self.label = label
        }
    }

    public struct InputField: Sendable, Equatable {
        public var label: String
        public var value: String
        /// The keys the field takes, as the on-screen keyboard shows them.
        public var keyboard: Keyboard

        public init(label: String, value: String, keyboard: Keyboard) {
            self.label = label
            self.value = value
            self.keyboard = keyboard
        }
    }

    public struct SummaryLine: Sendable, Equatable {
        public var label: String
        public var value: String
        /// A name, a BSN or a document number: shown, but said aloud only into a headset.
        public var personal: Bool

        public init(label: String, value: String, personal: Bool = false) {
            self.label = label
            self.value = value
            self.personal = personal
        }
    }

    public var language: Language
    public var title: String
    public var body: [String] = []
    public var summary: [SummaryLine] = []
    /// What the resident must remember or show (counter and number, case number, reference): drawn large and boxed.
    public var keyFacts: [SummaryLine] = []
    public var input: InputField?
    /// The large, numbered buttons.
    public var buttons: [Button] = []
    /// Back, language, call staff and stop: on every screen where they make sense.
    public var chrome: [Button] = []
    public var notice: Notice?
    public var noticeText: String? { notice.map { $0.text[language] } }
    /// The offline banner.
    public var banner: String?
    /// The inactivity warning, drawn over everything, with its one button.
    public var warning: String?
    public var progress: String?
    /// Waiting for a device or the central; fronts show a spinner.
    public var busy = false
    /// A picture beside the text that shows what to do with the hands.
    public var picture: Picture?
    /// Whether (and how) the screen is read aloud: for the speaker, not drawn.
    public var speech = SpeechMode()

    public enum Picture: Sendable, Equatable {
        /// The document, photo page down, on the reader.
        case documentOnReader
    }

    public init(language: Language, title: String) {
        self.language = language
        self.title = title
    }

    /// Every action a resident can take on this screen.
    public var actions: [Action] {
        (warning == nil ? [] : [.keepGoing]) + buttons.map(\.action) + chrome.map(\.action)
    }

    public func offers(_ action: Action) -> Bool { actions.contains(action) }
}
