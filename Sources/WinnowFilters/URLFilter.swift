import WinnowCore

/// Excludes documents by their URL (`metadata.url`, or `url_field`):
/// - `blocked_domain`: the host is a blocked domain or a subdomain of one (`example.com` blocks `example.com`
///   and `www.example.com`, not `badexample.com`);
/// - `blocked_substring`: the URL contains a blocked substring (case-insensitive for ASCII).
///
/// Domains come from `domains` (inline) and `domain_files`, substrings from `substrings` and `substring_files`
/// (one entry per line, `#` comments). A domain entry may be written as a host (`example.com`, `*.example.com`,
/// `.example.com`), a URL (`https://example.com/x`) or a hosts-file line (`0.0.0.0 example.com`).
///
/// The host is read from the URL's bytes: after `scheme://` (or `//`), up to `/`, `?` or `#`, without
/// `user:password@` and `:port`, without a trailing `.`, ASCII lower-cased (`[::1]` keeps its brackets).
/// Internationalized hosts compare as written (no IDNA conversion): list both forms if needed.
/// A document without a URL is kept, or excluded with `missing_url` when `missing_url: exclude`.
public struct URLFilter: DocumentStage, RegisteredStage, Sendable {
    public static let stageName = "url_filter"
    public static let summary = "exclude documents whose URL has a blocked domain (or subdomain) or substring"

    /// Blocked domains as an open-addressing hash set of their bytes, shared by all tasks.
    final class DomainSet: Sendable {
        private let slots: [Int32]  // index into domains, -1 empty
        private let hashes: [UInt64]
        private let domains: [[UInt8]]
        private let mask: Int
        var count: Int { domains.count }

        init(_ list: [[UInt8]]) {
            let unique = Array(Set(list.filter { !$0.isEmpty })).sorted { $0.lexicographicallyPrecedes($1) }
            var size = 16
            while size < unique.count * 2 { size <<= 1 }
            var slots = [Int32](repeating: -1, count: size)
            var hashes = [UInt64](repeating: 0, count: size)
            for (k, d) in unique.enumerated() {
                let h = d.withUnsafeBufferPointer { hashBytes($0.baseAddress!, 0, $0.count) }
                var s = Int(truncatingIfNeeded: h) & (size - 1)
                while slots[s] >= 0 { s = (s + 1) & (size - 1) }
                slots[s] = Int32(k)
                hashes[s] = h
            }
            self.slots = slots
            self.hashes = hashes
            self.domains = unique
            self.mask = size - 1
        }

        /// Whether bytes `[start, end)` of `p` are a blocked domain.
        func contains(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
            guard !domains.isEmpty else { return false }
            let h = hashBytes(p, start, end)
            var s = Int(truncatingIfNeeded: h) & mask
            while slots[s] >= 0 {
                if hashes[s] == h {
                    let d = domains[Int(slots[s])]
                    if d.count == end - start && d.withUnsafeBufferPointer({ b in
                        (0..<b.count).allSatisfy { b[$0] == p[start + $0] }
                    }) { return true }
                }
                s = (s + 1) & mask
            }
            return false
        }
    }

    public enum MissingURL: String, Sendable { case keep, exclude }

    let domains: DomainSet
    let substrings: PhraseMatcher
    let field: String
    let missing: MissingURL
    private var hostScratch: [UInt8] = []
    private var foldScratch: [UInt8] = []

    init(domains: DomainSet, substrings: PhraseMatcher, field: String, missing: MissingURL) {
        self.domains = domains
        self.substrings = substrings
        self.field = field
        self.missing = missing
    }

    /// Builds the filter from in-memory lists.
    public init(domains: [String], substrings: [String], field: String = "url", missing: MissingURL = .keep) {
        self.init(domains: DomainSet(domains.compactMap(Self.normalizeDomainEntry)),
                  substrings: PhraseMatcher(patterns: substrings.map { ByteFold.foldEntry($0, collapseSpaces: false) }),
                  field: field, missing: missing)
    }

    public static let parameters: [ParameterDeclaration] = [
        .stringList("domains", default: [], "blocked domains (each blocks its subdomains too): hosts, URLs or hosts-file lines"),
        .stringList("domain_files", default: [], "files of blocked domains, one a line"),
        .stringList("substrings", default: [], "blocked substrings of the whole URL, case-insensitive"),
        .stringList("substring_files", default: [], "files of blocked substrings, one a line"),
        .string("url_field", default: "url", "the metadata key holding the URL"),
        .choice("missing_url", ["keep", "exclude"], default: "keep", "what happens to a document without a URL"),
    ]

    public static func makeFactory(_ p: StageParameters) throws -> StageFactory {
        var domainEntries = try p.stringList("domains")
        for path in try p.stringList("domain_files") {
            domainEntries += try WordListFile.read(path, p, key: "domain_files")
        }
        var substringEntries = try p.stringList("substrings")
        for path in try p.stringList("substring_files") {
            substringEntries += try WordListFile.read(path, p, key: "substring_files")
        }
        let field = try p.string("url_field")
        let missing = try p.choice("missing_url", as: MissingURL.self)
        if domainEntries.isEmpty && substringEntries.isEmpty {
            throw p.error("domains", "nothing to block: give domains, domain_files, substrings or substring_files")
        }
        let stage = URLFilter(domains: domainEntries, substrings: substringEntries, field: field, missing: missing)
        return StageFactory { stage }
    }

    /// A list entry as a lower-case host: hosts-file lines, URLs, `*.` and `.` prefixes are accepted.
    static func normalizeDomainEntry(_ entry: String) -> [UInt8]? {
        var bytes = Array(entry.utf8)
        // A hosts-file line: the last whitespace-separated field.
        if let lastSpace = bytes.lastIndex(where: { $0 == 0x20 || $0 == 0x09 }) { bytes = Array(bytes[(lastSpace + 1)...]) }
        guard !bytes.isEmpty else { return nil }
        var out: [UInt8] = []
        bytes.withUnsafeBufferPointer { b in
            let (s, e) = host(b.baseAddress!, b.count)
            out = (s..<e).map { let c = b[$0]; return c >= 0x41 && c <= 0x5A ? c + 0x20 : c }
        }
        while out.first == UInt8(ascii: "*") || out.first == UInt8(ascii: ".") { out.removeFirst() }
        return out.isEmpty ? nil : out
    }

    /// The host of a URL in bytes `[0, n)`: its range, before lower-casing.
    static func host(_ p: UnsafePointer<UInt8>, _ n: Int) -> (Int, Int) {
        var start = 0
        // Skip leading spaces.
        while start < n && (p[start] == 0x20 || p[start] == 0x09) { start += 1 }
        // scheme "://" (scheme: letter then letters, digits, + - .) or a scheme-relative "//".
        var i = start
        while i < n {
            let c = p[i] | 0x20
            let isSchemeChar = (c >= 0x61 && c <= 0x7A) || (i > start && ((p[i] >= 0x30 && p[i] <= 0x39) || p[i] == 0x2B || p[i] == 0x2D || p[i] == 0x2E))
            if !isSchemeChar { break }
            i += 1
        }
        if i > start, i + 2 < n, p[i] == UInt8(ascii: ":"), p[i + 1] == UInt8(ascii: "/"), p[i + 2] == UInt8(ascii: "/") {
            start = i + 3
        } else if start + 1 < n, p[start] == UInt8(ascii: "/"), p[start + 1] == UInt8(ascii: "/") {
            start += 2
        }
        // The authority ends at "/", "?", "#" (or a backslash, as browsers read it) or whitespace.
        var end = start
        while end < n {
            let c = p[end]
            if c == UInt8(ascii: "/") || c == UInt8(ascii: "?") || c == UInt8(ascii: "#") || c == UInt8(ascii: "\\") || c <= 0x20 { break }
            end += 1
        }
        // userinfo: up to the last "@".
        var k = end
        while k > start { k -= 1; if p[k] == UInt8(ascii: "@") { start = k + 1; break } }
        // port: IPv6 literal "[...]" keeps its colons.
        if start < end && p[start] == UInt8(ascii: "[") {
            var j = start
            while j < end && p[j] != UInt8(ascii: "]") { j += 1 }
            end = min(j + 1, end)
        } else {
            var j = start
            while j < end && p[j] != UInt8(ascii: ":") { j += 1 }
            end = j
        }
        while end > start && p[end - 1] == UInt8(ascii: ".") { end -= 1 }
        return (start, end)
    }

    /// The reason to exclude `url`, if any.
    mutating func check(_ url: String) -> String? {
        var url = url
        return url.withUTF8 { b -> String? in
            guard let p = b.baseAddress else { return nil }
            let n = b.count
            if domains.count > 0 {
                let (s, e) = Self.host(p, n)
                hostScratch.removeAll(keepingCapacity: true)
                for i in s..<e { let c = p[i]; hostScratch.append(c >= 0x41 && c <= 0x5A ? c + 0x20 : c) }
                let blocked = hostScratch.withUnsafeBufferPointer { h -> Bool in
                    guard let q = h.baseAddress else { return false }
                    let m = h.count
                    // The host and each parent domain: suffixes starting after a ".".
                    if domains.contains(q, 0, m) { return true }
                    for j in 0..<m where q[j] == UInt8(ascii: ".") {
                        if j + 1 < m && domains.contains(q, j + 1, m) { return true }
                    }
                    return false
                }
                if blocked { return "blocked_domain" }
            }
            if substrings.patternCount > 0 {
                let m = ByteFold.fold(p, n, collapseSpaces: false, into: &foldScratch)
                var found = false
                foldScratch.withUnsafeBufferPointer { h in
                    guard m > 0, let q = h.baseAddress else { return }
                    substrings.forEachMatch(q, m) { _, _ in found = true; return false }
                }
                if found { return "blocked_substring" }
            }
            return nil
        }
    }

    public mutating func process(_ document: inout Document, stats: inout StageStats) -> StageDecision {
        guard let url = document.metadata[field]?.stringValue, !url.isEmpty else {
            if missing == .exclude { return .exclude(reason: "missing_url") }
            stats.count("url_missing")
            return .keep
        }
        return check(url).map { .exclude(reason: $0) } ?? .keep
    }
}
