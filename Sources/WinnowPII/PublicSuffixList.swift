/// The ICANN section of the Public Suffix List (bundled in `PublicSuffixListData.swift`), for deciding
/// whether an e-mail domain is real: it must end in a listed suffix (`com`, `co.uk`, `kawasaki.jp`
/// wildcard rules and `!city.kawasaki.jp` exceptions included) and have at least one label in front of it.
///
/// Rules are kept as 64-bit FNV-1a hashes of their lower-case text, so a lookup hashes slices of the
/// candidate domain and allocates nothing. (Two different suffixes would have to collide in 64 bits for a
/// wrong answer, which is as good as never for a list of 8,000 rules.)
public struct PublicSuffixList: Sendable {
    let rules: Set<UInt64>
    let wildcards: Set<UInt64>  // "*.ck" is stored as "ck"
    let exceptions: Set<UInt64>  // "!www.ck" is stored as "www.ck"

    /// The bundled list, parsed on first use.
    public static let shared = PublicSuffixList(text: icannRules)

    /// Parses list text: one rule a line, `//` comments and blank lines ignored.
    public init(text: String) {
        var rules = Set<UInt64>(), wildcards = Set<UInt64>(), exceptions = Set<UInt64>()
        for line in text.utf8.split(separator: 0x0A) {
            var rule = line[...]
            while let last = rule.last, last == 0x20 || last == 0x0D || last == 0x09 { rule = rule.dropLast() }
            if rule.isEmpty || rule.starts(with: [0x2F, 0x2F]) { continue }
            let bytes = Array(rule)
            if bytes.first == 0x21 {
                exceptions.insert(bytes.withUnsafeBufferPointer { Self.hash(UnsafeBufferPointer(rebasing: $0[1...])) })
            } else if bytes.count > 2, bytes[0] == 0x2A, bytes[1] == 0x2E {
                wildcards.insert(bytes.withUnsafeBufferPointer { Self.hash(UnsafeBufferPointer(rebasing: $0[2...])) })
            } else {
                rules.insert(bytes.withUnsafeBufferPointer { Self.hash($0) })
            }
        }
        self.rules = rules
        self.wildcards = wildcards
        self.exceptions = exceptions
    }

    /// FNV-1a over ASCII-lower-cased bytes.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for var b in bytes {
            if b >= 0x41 && b <= 0x5A { b |= 0x20 }
            h = (h ^ UInt64(b)) &* 0x100_0000_01b3
        }
        return h
    }

    /// The number of labels of `domain` (dot-separated, no trailing dot) that form its public suffix, or
    /// nil when no listed rule matches (the PSL's implicit `*` rule is not counted as a match).
    public func publicSuffixLabels(_ domain: UnsafeBufferPointer<UInt8>) -> Int? {
        // Label start offsets, left to right.
        var starts: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 1
        for i in 0..<domain.count where domain[i] == 0x2E {
            if count == 16 { return nil }
            withUnsafeMutableBytes(of: &starts) { $0.storeBytes(of: i + 1, toByteOffset: count * MemoryLayout<Int>.stride, as: Int.self) }
            count += 1
        }
        func start(_ k: Int) -> Int { withUnsafeBytes(of: starts) { $0.load(fromByteOffset: k * MemoryLayout<Int>.stride, as: Int.self) } }
        func suffix(_ k: Int) -> UInt64 { Self.hash(UnsafeBufferPointer(rebasing: domain[start(k)...])) }
        // An exception rule prevails: the public suffix is the exception minus its leftmost label.
        if !exceptions.isEmpty {
            for k in 0..<count where exceptions.contains(suffix(k)) { return count - k - 1 }
        }
        // Otherwise the longest matching rule.
        for k in 0..<count {
            if rules.contains(suffix(k)) { return count - k }
            if k + 1 < count, wildcards.contains(suffix(k + 1)) { return count - k }
        }
        return nil
    }

    /// Whether `domain` ends in a listed public suffix and has at least one label before it.
    public func isRegistrable(_ domain: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let labels = publicSuffixLabels(domain) else { return false }
        var total = 1
        for b in domain where b == 0x2E { total += 1 }
        return total > labels
    }
}
