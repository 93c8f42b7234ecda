import WinnowIO

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

/// n-gram records (`keyLength` word ids, then payload words) in WinnowIO's spill facility: sorted by `kind`,
/// and, with `sumCounts`, records of equal ids folded by adding the 64-bit counts in the two words after
/// the ids (low word first).
struct NGramSpillOrder: SpillRecordOrder {
    let kind: NGramRecordOrder
    let keyLength: Int
    let sumCounts: Bool

    @inline(__always)
    func less(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>) -> Bool {
        kind.lessThan(a.baseAddress!, b.baseAddress!, length: keyLength)
    }

    @inline(__always)
    func combine(_ a: UnsafeMutableBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>) -> Bool {
        guard sumCounts, NGramRecordOrder.sameKey(a.baseAddress!, b.baseAddress!, length: keyLength) else { return false }
        let k = keyLength
        let sum = (UInt64(a[k + 1]) << 32 | UInt64(a[k])) &+ (UInt64(b[k + 1]) << 32 | UInt64(b[k]))
        a[k] = UInt32(truncatingIfNeeded: sum)
        a[k + 1] = UInt32(truncatingIfNeeded: sum >> 32)
        return true
    }
}

/// Sorts n-gram records in bounded memory (runs under the trainer's scratch directory).
typealias NGramSorter = ExternalSorter<NGramSpillOrder>
/// n-gram records in sorted order.
typealias NGramStream = SortedRecords<NGramSpillOrder>

extension ExternalSorter where Order == NGramSpillOrder {
    /// A sorter of `width`-word records whose first `keyLength` words are the ids, in `order`.
    convenience init(width: Int, keyLength: Int, order: NGramRecordOrder, sumCounts: Bool = false, memoryBytes: Int,
                     directory: String, name: String) {
        self.init(order: NGramSpillOrder(kind: order, keyLength: keyLength, sumCounts: sumCounts), recordWords: width,
                  memoryBytes: memoryBytes, directory: directory, name: name)
    }
}

extension SortedRecords where Order == NGramSpillOrder {
    /// The first word of the current record, nil at the end.
    var head: UnsafePointer<UInt32>? { current?.baseAddress }
}
