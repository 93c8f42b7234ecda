import Foundation
import WinnowCore

/// Expands a step's input paths into the sorted list of files to read: plain paths, directories (all
/// regular files below, hidden ones skipped) and glob patterns (`*`, `?`, `[...]`, as the shell does).
enum InputFiles {
    static func expand(_ patterns: [String], location: String) throws -> [String] {
        var result: [String] = []
        var seen = Set<String>()
        for pattern in patterns {
            let matches: [String]
            if pattern.contains(where: { "*?[".contains($0) }) {
                matches = glob(pattern)
                if matches.isEmpty { throw ConfigurationError(location: location, message: "no file matches '\(pattern)'") }
            } else {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: pattern, isDirectory: &isDirectory) else {
                    throw ConfigurationError(location: location, message: "input '\(pattern)' does not exist")
                }
                matches = isDirectory.boolValue ? try listDirectory(pattern) : [pattern]
            }
            for m in matches where seen.insert(m).inserted {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: m, isDirectory: &isDirectory), isDirectory.boolValue {
                    for f in try listDirectory(m) where seen.insert(f).inserted { result.append(f) }
                } else {
                    result.append(m)
                }
            }
        }
        return result
    }

    /// Regular files below `directory`, sorted by path; names starting with `.` or `_` are skipped.
    static func listDirectory(_ directory: String) throws -> [String] {
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        guard let enumerator = FileManager.default.enumerator(atPath: base) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let name = relative.split(separator: "/").last.map(String.init) ?? relative
            if name.hasPrefix(".") || name.hasPrefix("_") {
                if (enumerator.fileAttributes?[.type] as? FileAttributeType) == .typeDirectory { enumerator.skipDescendants() }
                continue
            }
            if (enumerator.fileAttributes?[.type] as? FileAttributeType) == .typeRegular { files.append(base + "/" + relative) }
        }
        return files.sorted()
    }

    static func glob(_ pattern: String) -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        guard Glibc.glob(pattern, 0, nil, &g) == 0 else { return [] }
        var out: [String] = []
        for i in 0..<Int(g.gl_pathc) {
            if let p = g.gl_pathv[i] { out.append(String(cString: p)) }
        }
        return out.sorted()
    }
}
