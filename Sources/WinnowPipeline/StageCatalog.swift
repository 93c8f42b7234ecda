import Foundation
import WinnowCore

/// Every stage and whole-dataset step a pipeline can name, with its declared parameters: what `winnow stages`
/// prints and what the parameter tables in docs/ are generated from.
public enum StageCatalog {
    public struct Entry: Sendable {
        public var name: String
        public var summary: String
        public var parameters: [ParameterDeclaration]
        /// A whole-dataset step (`run:`) rather than a per-document stage (`stages:`).
        public var isDatasetStep: Bool
    }

    public static var all: [Entry] {
        StageRegistry.all.map { Entry(name: $0.stageName, summary: $0.summary, parameters: $0.parameters, isDatasetStep: false) }
            + DatasetStepRegistry.all.map { Entry(name: $0.stepName, summary: $0.summary, parameters: $0.parameters, isDatasetStep: true) }
    }

    /// A stage or step by name (stage aliases included).
    public static func lookup(_ name: String) -> Entry? {
        let canonical = StageRegistry.aliases[name] ?? name
        return all.first { $0.name == canonical }
    }

    /// `winnow stages NAME`: the summary, then one block per parameter with its type, default and description.
    public static func describe(_ entry: Entry) -> String {
        var lines = ["\(entry.name): \(entry.summary)", ""]
        lines.append(entry.isDatasetStep ? "A whole-dataset step: `run: {\(entry.name): {key: value}}` in a step." : "In a step: `- \(entry.name): {key: value}`.")
        if entry.parameters.isEmpty { lines.append("No parameters.") }
        let width = min(28, (entry.parameters.map(\.name.count).max() ?? 0) + 2)
        for p in entry.parameters {
            let presence = p.isRequired ? "required" : "default \(p.defaultDescription)"
            lines.append("  " + p.name.padding(toLength: max(width, p.name.count + 1), withPad: " ", startingAt: 0) + "\(p.typeDescription), \(presence)")
            lines.append("  " + String(repeating: " ", count: max(width, p.name.count + 1)) + p.summary)
        }
        return lines.joined(separator: "\n")
    }

    /// The markdown table of a stage's parameters, as it appears in docs/ between the marker comments.
    public static func markdownTable(_ entry: Entry) -> String {
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        var lines = ["| parameter | type | default | meaning |", "| --- | --- | --- | --- |"]
        for p in entry.parameters {
            lines.append("| `\(p.name)` | \(cell(p.typeDescription)) | \(cell(p.defaultDescription)) | \(cell(p.summary)) |")
        }
        if entry.parameters.isEmpty { lines.append("| (none) | | | |") }
        return lines.joined(separator: "\n")
    }

    /// The opening marker of a generated table; the table runs to the next `endMarker`.
    public static func startMarker(_ name: String) -> String { "<!-- parameters:\(name) -->" }
    public static let endMarker = "<!-- end -->"

    /// The stage names whose tables `markdown` contains (between markers).
    public static func documentedNames(in markdown: String) -> [String] {
        markdown.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line in
            let s = line.trimmingCharacters(in: .whitespaces)
            guard s.hasPrefix("<!-- parameters:"), s.hasSuffix("-->") else { return nil }
            return String(s.dropFirst("<!-- parameters:".count).dropLast(3)).trimmingCharacters(in: .whitespaces)
        }
    }

    /// `markdown` with every table between `<!-- parameters:NAME -->` and `<!-- end -->` regenerated from the
    /// declarations. A marker naming no stage, or without its end, throws (`file` names the document).
    public static func regenerateTables(in markdown: String, file: String) throws -> String {
        var out: [Substring] = []
        var lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)[...]
        var lineNumber = 0
        while let line = lines.popFirst() {
            lineNumber += 1
            out.append(line)
            guard let name = documentedNames(in: String(line)).first else { continue }
            guard let entry = lookup(name) else {
                throw ConfigurationError(location: "\(file):\(lineNumber)", message: "parameter table for unknown stage '\(name)'")
            }
            guard let end = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == endMarker }) else {
                throw ConfigurationError(location: "\(file):\(lineNumber)", message: "parameter table '\(name)' has no \(endMarker)")
            }
            lineNumber += end - lines.startIndex + 1
            out.append(contentsOf: markdownTable(entry).split(separator: "\n", omittingEmptySubsequences: false))
            out.append(lines[end])
            lines = lines[(end + 1)...]
        }
        return out.joined(separator: "\n")
    }
}
