/// How n-gram records (word ids first, then payload words) are sorted by the language-model trainer.
///
/// - `suffix`: by the last word, then the one before it, and so on (KenLM's `SuffixOrder`). The n-grams
///   sharing a suffix are contiguous, and blocks appear in the order of those suffixes as (n-1)-grams, so
///   every order can be walked together with its suffixes.
/// - `context`: by the context (the first n-1 words) in suffix order, then by the last word (KenLM's
///   `ContextOrder`). The n-grams of one context are contiguous, and contexts appear in the suffix order of
///   the (n-1)-grams they are.
enum NGramRecordOrder: Sendable {
    case suffix
    case context

    /// Whether record `a` sorts before record `b`; both start with `length` word ids.
    @inline(__always)
    func lessThan(_ a: UnsafePointer<UInt32>, _ b: UnsafePointer<UInt32>, length: Int) -> Bool {
        switch self {
        case .suffix:
            var i = length - 1
            while i >= 0 {
                if a[i] != b[i] { return a[i] < b[i] }
                i -= 1
            }
            return false
        case .context:
            var i = length - 2
            while i >= 0 {
                if a[i] != b[i] { return a[i] < b[i] }
                i -= 1
            }
            return a[length - 1] < b[length - 1]
        }
    }

    /// Whether two records have the same `length` word ids.
    @inline(__always)
    static func sameKey(_ a: UnsafePointer<UInt32>, _ b: UnsafePointer<UInt32>, length: Int) -> Bool {
        var i = 0
        while i < length {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }
}
