import Foundation

/// The Public Suffix List's algorithm (publicsuffix.org/list/), ICANN section only, read from the list file at
/// run time: an oracle for the PII scanner's e-mail rule, which uses its own generated table. Debian's
/// `publicsuffix` package provides the file; `WINNOW_PUBLIC_SUFFIX_LIST` names another.
public struct PublicSuffixReference: Sendable {
    let rules: Set<String>

    /// The list at the default path, or nil when that file is missing (the check is then skipped).
    public static let installed: PublicSuffixReference? = {
        let path = ProcessInfo.processInfo.environment["WINNOW_PUBLIC_SUFFIX_LIST"] ?? "/usr/share/publicsuffix/public_suffix_list.dat"
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return PublicSuffixReference(listText: String(decoding: data, as: UTF8.self))
    }()

    /// Rules between the ICANN section's BEGIN and END markers; each rule is a line's first word.
    public init(listText: String) {
        var rules = Set<String>()
        var inICANN = false
        for rawLine in listText.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.contains("===BEGIN ICANN DOMAINS===") { inICANN = true; continue }
            if line.contains("===END ICANN DOMAINS===") { inICANN = false; continue }
            guard inICANN, !line.isEmpty, !line.hasPrefix("//") else { continue }
            rules.insert(String(line.split(separator: " ")[0]).lowercased())
        }
        self.rules = rules
    }

    /// How many labels of `domain` (lower-cased, dot-separated) its public suffix takes under the prevailing
    /// ICANN rule (an exception rule, else the matching rule with the most labels), or nil when no ICANN rule
    /// matches (the list's implicit `*` rule is not applied).
    public func suffixLabelCount(_ domain: String) -> Int? {
        let labels = domain.lowercased().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        func suffix(_ k: Int) -> String { labels.suffix(k).joined(separator: ".") }
        for k in stride(from: labels.count, through: 1, by: -1) where rules.contains("!" + suffix(k)) { return k - 1 }
        for k in stride(from: labels.count, through: 1, by: -1) {
            if rules.contains(suffix(k)) { return k }
            if k >= 2, rules.contains("*." + suffix(k - 1)) { return k }
        }
        return nil
    }
}
