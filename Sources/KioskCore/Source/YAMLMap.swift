internal import Foundation
internal import Yams

/// A YAML mapping read with its source positions, so that every problem can be reported as `file:line:column: reason`.
///
/// Readers ask for keys by name and type; anything missing, mistyped or unknown is added to an issue list instead of thrown, so
/// that one run reports every problem in a file. Shared by the flow loader, device profiles and the kiosk config.
package struct YAMLMap {
    package let file: String
    package let location: FileLocation
    private let pairs: [(key: String, keyLocation: FileLocation, value: Node)]

    /// Parses a whole document whose top level must be a mapping.
    package static func document(_ text: String, file: String, issues: inout [SourceIssue]) -> YAMLMap? {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            issues.append(Self.issue(for: error, file: file))
            return nil
        } catch {
            issues.append(SourceIssue(FileLocation(file: file, line: 1, column: 1), "malformed YAML"))
            return nil
        }
        guard let node else {
            issues.append(SourceIssue(FileLocation(file: file, line: 1, column: 1), "the file is empty"))
            return nil
        }
        return YAMLMap(node, file: file, what: "the document", issues: &issues)
    }

    init?(_ node: Node, file: String, what: String, issues: inout [SourceIssue]) {
        let here = Self.location(of: node, file: file)
        guard case .mapping(let mapping) = node else {
            issues.append(SourceIssue(here, "\(what) must be a mapping of keys to values"))
            return nil
        }
        self.file = file
        location = here
        var pairs: [(String, FileLocation, Node)] = []
        for (key, value) in mapping {
            let keyLocation = Self.location(of: key, file: file)
            guard case .scalar(let scalar) = key else {
                issues.append(SourceIssue(keyLocation, "keys must be plain words"))
                continue
            }
            pairs.append((scalar.string, keyLocation, value))
        }
        self.pairs = pairs
    }

    // MARK: - Keys

    package var keys: [String] { pairs.map(\.key) }

    /// Reports every key not in `allowed`, at the key's own position.
    package func rejectUnknownKeys(_ allowed: [String], in what: String, issues: inout [SourceIssue]) {
        for pair in pairs where !allowed.contains(pair.key) {
            issues.append(
                SourceIssue(
                    pair.keyLocation,
                    "unknown key '\(pair.key)' in \(what) (expected one of: \(allowed.joined(separator: ", ")))"))
        }
    }

    package func has(_ key: String) -> Bool { pairs.contains { $0.key == key } }

    package func location(of key: String) -> FileLocation {
        pairs.first { $0.key == key }.map { Self.location(of: $0.value, file: file) } ?? location
    }

    private func value(_ key: String, required: Bool, in what: String, issues: inout [SourceIssue]) -> Node? {
        if let pair = pairs.first(where: { $0.key == key }) { return pair.value }
        if required { issues.append(SourceIssue(location, "\(what) is missing the key '\(key)'")) }
        return nil
    }

    // MARK: - Typed values

    package func string(_ key: String, required: Bool = true, in what: String, issues: inout [SourceIssue]) -> String? {
        guard let node = value(key, required: required, in: what, issues: &issues) else { return nil }
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
            issues.append(SourceIssue(Self.location(of: node, file: file), "'\(key)' must be a single value"))
            return nil
        }
        return scalar.string
    }

    package func int(_ key: String, in what: String, range: ClosedRange<Int>, issues: inout [SourceIssue]) -> Int? {
        number(key, in: what, range: range, kind: "a whole number", issues: &issues)
    }

    /// An optional decimal number within `range`; nil when absent (or wrong, which is an issue).
    package func double(_ key: String, in what: String, range: ClosedRange<Double>, issues: inout [SourceIssue]) -> Double? {
        number(key, in: what, range: range, kind: "a number", issues: &issues)
    }

    private func number<N: LosslessStringConvertible & Comparable>(
        _ key: String, in what: String, range: ClosedRange<N>, kind: String, issues: inout [SourceIssue]
    ) -> N? {
        guard let text = string(key, required: false, in: what, issues: &issues) else { return nil }
        guard let n = N(text), range.contains(n) else {
            issues.append(
                SourceIssue(location(of: key), "'\(key)' must be \(kind) from \(range.lowerBound) to \(range.upperBound)"))
            return nil
        }
        return n
    }

    /// An optional `true` or `false`; nil when absent (or wrong, which is an issue).
    package func bool(_ key: String, in what: String, issues: inout [SourceIssue]) -> Bool? {
        guard let text = string(key, required: false, in: what, issues: &issues) else { return nil }
        guard let value = Bool(text) else {
            issues.append(SourceIssue(location(of: key), "\(key) must be true or false"))
            return nil
        }
        return value
    }

    /// A value that must be one of an enum's raw values.
    package func word<E: RawRepresentable & CaseIterable>(
        _ key: String, as: E.Type, required: Bool = true, in what: String, issues: inout [SourceIssue]
    ) -> E? where E.RawValue == String {
        guard let text = string(key, required: required, in: what, issues: &issues) else { return nil }
        guard let value = E(rawValue: text) else {
            let known = E.allCases.map(\.rawValue).joined(separator: ", ")
            issues.append(SourceIssue(location(of: key), "unknown \(key) '\(text)' (expected one of: \(known))"))
            return nil
        }
        return value
    }

    package func map(_ key: String, required: Bool = true, in what: String, issues: inout [SourceIssue]) -> YAMLMap? {
        guard let node = value(key, required: required, in: what, issues: &issues) else { return nil }
        return YAMLMap(node, file: file, what: "'\(key)'", issues: &issues)
    }

    /// A list of mappings, such as a flow's steps.
    package func maps(_ key: String, required: Bool = true, in what: String, issues: inout [SourceIssue]) -> [YAMLMap]? {
        guard let node = value(key, required: required, in: what, issues: &issues) else { return nil }
        guard case .sequence(let sequence) = node else {
            issues.append(SourceIssue(Self.location(of: node, file: file), "'\(key)' must be a list"))
            return nil
        }
        return sequence.compactMap { YAMLMap($0, file: file, what: "an entry of '\(key)'", issues: &issues) }
    }

    /// A list of single values, each with its position.
    package func strings(_ key: String, required: Bool = true, in what: String, issues: inout [SourceIssue])
        -> [(String, FileLocation)]?
    {
        guard let node = value(key, required: required, in: what, issues: &issues) else { return nil }
        guard case .sequence(let sequence) = node else {
            issues.append(SourceIssue(Self.location(of: node, file: file), "'\(key)' must be a list"))
            return nil
        }
        var out: [(String, FileLocation)] = []
        for item in sequence {
            guard case .scalar(let scalar) = item else {
                issues.append(SourceIssue(Self.location(of: item, file: file), "entries of '\(key)' must be single values"))
                continue
            }
            out.append((scalar.string, Self.location(of: item, file: file)))
        }
        return out
    }

    /// A text in every language: `{nl: ..., en: ...}`. A missing or empty language is a missing translation.
    package func text(_ key: String, required: Bool = true, in what: String, issues: inout [SourceIssue]) -> LocalizedText? {
        guard let map = map(key, required: required, in: what, issues: &issues) else { return nil }
        map.rejectUnknownKeys(Language.allCases.map(\.rawValue), in: "the text '\(key)'", issues: &issues)
        var texts: [Language: String] = [:]
        for language in Language.allCases {
            var ignored: [SourceIssue] = []
            if let value = map.string(language.rawValue, required: false, in: key, issues: &ignored) {
                texts[language] = value
            } else {
                issues.append(SourceIssue(map.location, "missing \(language.rawValue) translation of '\(key)'"))
            }
        }
        guard let nl = texts[.nl], let en = texts[.en] else { return nil }
        return LocalizedText(nl: nl, en: en)
    }

    // MARK: - Positions

    static func location(of node: Node, file: String) -> FileLocation {
        FileLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    static func issue(for error: YamlError, file: String) -> SourceIssue {
        func at(_ mark: Mark) -> FileLocation { FileLocation(file: file, line: mark.line, column: mark.column) }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text.trimmingCharacters(in: .whitespaces)): " } ?? ""
            return SourceIssue(at(mark), "malformed YAML: \(prefix)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return SourceIssue(at(context.mark), "duplicate key \(duplicates.sorted().joined(separator: ", "))")
        case .reader(let problem, _, _, _):
            return SourceIssue(FileLocation(file: file, line: 1, column: 1), "unreadable file: \(problem)")
        default:
            return SourceIssue(FileLocation(file: file, line: 1, column: 1), "malformed YAML")
        }
    }
}
