import Foundation
import WinnowCore
import WinnowIO

/// Expands a step's input paths into the sorted list of files to read: plain paths, directories (the
/// regular files below whose format is recognised, by name or first bytes, hidden ones skipped) and glob
/// patterns (`*`, `?`, `[...]`, as the shell does). A path that does not exist, a glob without a match
/// and a directory without an input file are all errors, located at the `paths:` line. `-` is standard input.
enum InputFiles {
    /// The files to read, the files of input directories left out because they are not input files, and
    /// how many were left out because they lie in the run's own output directory.
    struct Listing {
        var files: [String] = []
        var ignored: [String] = []
        var insideOutput = 0
    }

    /// `output`: the run's output directory; files below it (Winnow's own output, when the output directory
    /// lies inside an input directory or matches a glob) are never inputs.
    static func expand(_ patterns: [String], location: String, output: String? = nil) throws -> Listing {
        var listing = Listing()
        let outputPrefix = output.map { URL(fileURLWithPath: $0).standardizedFileURL.path + "/" }
        let isOutput = { (file: String) in outputPrefix.map { URL(fileURLWithPath: file).standardizedFileURL.path.hasPrefix($0) } ?? false }
        var seen = Set<String>()
        for pattern in patterns {
            let matches: [String]
            if pattern == "-" || pattern == "/dev/stdin" {
                matches = [pattern]  // standard input: read once, as one file
            } else if pattern.contains(where: { "*?[".contains($0) }) {
                matches = glob(pattern)
                if matches.isEmpty { throw ConfigurationError(location: location, message: "no file matches '\(pattern)'") }
            } else {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: pattern, isDirectory: &isDirectory) else {
                    throw ConfigurationError(location: location, message: "input '\(pattern)' does not exist")
                }
                matches = [pattern]
            }
            let before = listing.files.count, ignoredBefore = listing.ignored.count
            for m in matches where seen.insert(m).inserted {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: m, isDirectory: &isDirectory), isDirectory.boolValue {
                    for f in try listDirectory(m) where seen.insert(f).inserted {
                        if isOutput(f) {
                            listing.insideOutput += 1
                        } else if InputFormat.recognize(path: f) != nil { listing.files.append(f) } else { listing.ignored.append(f) }
                    }
                } else if isOutput(m) {
                    listing.insideOutput += 1
                } else {
                    listing.files.append(m)
                }
            }
            if listing.files.count == before {
                let ignored = listing.ignored[ignoredBefore...]
                let what = ignored.isEmpty ? "" : " (\(ignored.count) other files: \(ignoredSummary(Array(ignored))))"
                throw ConfigurationError(location: location, message: "no input file in '\(pattern)'\(what)")
            }
        }
        return listing
    }

    /// Up to five of `files`, then how many more.
    static func ignoredSummary(_ files: [String]) -> String {
        let shown = files.prefix(5).joined(separator: ", ")
        return files.count > 5 ? shown + " and \(files.count - 5) more" : shown
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
