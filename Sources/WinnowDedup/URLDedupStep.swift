import Foundation
import CXXHash
import WinnowCore

/// `run: {url_dedup: {...}}` and `winnow dedup url`: one document per normalized URL. The URL is the metadata
/// field `url_field` (`url`); normalization lowercases the scheme and host, drops the fragment and a default
/// port (`:80` for http, `:443` for https) and makes an empty path `/`. `keep: longest` keeps the document
/// with the largest `prefer`: `length` (the text length, the default) or a metadata field (a number, or a
/// string such as an ISO date, compared by its first 18 digits). Documents without a URL take no part.
/// Parameters: `url_field`, `prefer`, `keep` (first | longest | none), `annotate` (adds `url_cluster_id`,
/// `url_cluster_size`), `memory`.
public struct URLDedupStep: DatasetStep {
    public static let stepName = "url_dedup"
    public static let summary = "keep one document per normalized URL (the first, or the one with the largest field)"

    let dedup: DedupPhases

    public static let parameters: [ParameterDeclaration] = [
        .string("url_field", default: "url", "the metadata field holding the URL"),
        .string("prefer", default: "length", "with keep: longest, what is compared: length (of the text) or a metadata field such as date"),
    ] + DedupOptions.declarations

    public static func make(parameters p: StageParameters) throws -> URLDedupStep {
        try p.validate(against: parameters)
        let field = try p.string("url_field")
        let prefer = try p.string("prefer")
        let options = try DedupOptions.read(p, keyCount: 1)
        try p.finish()
        return URLDedupStep(field: field, prefer: prefer, options: options)
    }

    init(field: String, prefer: String, options: DedupOptions) {
        dedup = DedupPhases(method: DedupMethod(stage: "url", keysPhase: "hashes", keyCount: 1, makeKeyer: {
            return { document, keys in
                guard let url = document.metadata[field]?.stringValue, !url.isEmpty else { return nil }
                let normalized = Array(Self.normalize(url).utf8)
                keys.keys[0] = normalized.withUnsafeBytes { XXH3_64bits($0.baseAddress, $0.count) }
                if prefer == "length" { return UInt64(document.text.count) }
                return Self.rank(document.metadata[prefer])
            }
        }), options: options)
    }

    public var phases: [DatasetPhase] { dedup.phases }

    /// Lowercased scheme and host, no fragment, no default port, `/` for an empty path.
    static func normalize(_ url: String) -> String {
        var s = Substring(url.trimmingCharacters(in: .whitespacesAndNewlines))
        if let hash = s.firstIndex(of: "#") { s = s[..<hash] }
        guard let schemeEnd = s.range(of: "://") else { return String(s) }
        let scheme = s[..<schemeEnd.lowerBound].lowercased()
        let rest = s[schemeEnd.upperBound...]
        let hostEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var host = rest[..<hostEnd].lowercased()
        if scheme == "http" && host.hasSuffix(":80") { host.removeLast(3) }
        if scheme == "https" && host.hasSuffix(":443") { host.removeLast(4) }
        var tail = String(rest[hostEnd...])
        if tail.isEmpty || tail.hasPrefix("?") { tail = "/" + tail }
        return scheme + "://" + host + tail
    }

    /// A field as a rank: a non-negative number as is, a string by its digits (`2024-05-01T10:00:00Z` ->
    /// 20240501100000), anything else 0.
    static func rank(_ value: JSONValue?) -> UInt64 {
        switch value {
        case .number(let n)?: return n.doubleValue > 0 ? UInt64(min(n.doubleValue, 1.8e19)) : 0
        case .string(let s)?:
            var r: UInt64 = 0, digits = 0
            for b in s.utf8 where b >= 0x30 && b <= 0x39 && digits < 18 { r = r * 10 + UInt64(b - 0x30); digits += 1 }
            return r
        default: return 0
        }
    }
}
