import Foundation
import WinnowCore

/// The parameter tables in docs/: each `<!-- parameters:NAME -->` ... `<!-- end -->` block of a markdown file is
/// generated from stage NAME's declarations (`StageCatalog.markdownTable`). `winnow stages --update-docs docs`
/// rewrites them; a test fails when they drift.
public enum ParameterDocs {
    /// The markdown files of `directory`, sorted, as full paths.
    public static func files(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".md") }.sorted()
            .map { directory + "/" + $0 }
    }

    /// Each file whose tables are out of date, with its regenerated text.
    public static func stale(directory: String) throws -> [(file: String, text: String)] {
        try files(in: directory).compactMap { file in
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let regenerated = try StageCatalog.regenerateTables(in: text, file: file)
            return regenerated == text ? nil : (file, regenerated)
        }
    }

    /// Rewrites the out-of-date files; returns their paths.
    public static func update(directory: String) throws -> [String] {
        try stale(directory: directory).map { file, text in
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            return file
        }
    }
}
