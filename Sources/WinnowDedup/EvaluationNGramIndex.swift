import Foundation
import WinnowCore
import WinnowIO

/// The word n-grams of evaluation sets, for decontamination: every n-gram of every item, by hash, with the
/// first item it came from. Built once per run (read-only afterwards, shared by the tasks); its memory is
/// about 16 bytes per distinct n-gram of the evaluation sets, not of the corpus.
///
/// An evaluation set is a file (optionally .gz or .zst): JSONL, where each object's string values (in `fields`,
/// or all of them, nested arrays and objects included) are items, named by the object's `id` (or its line
/// number); or plain text (any other extension), where each non-empty line is an item named by its line number.
/// Each string is scanned separately, so n-grams do not run from a question into its answer. Items shorter than
/// n words have no n-grams and match nothing.
final class EvaluationNGramIndex: @unchecked Sendable {
    struct Source { var set: String; var item: String }

    let size: Int
    /// How items and documents are cut into words.
    let words: OverlapWordScanner.Words
    private(set) var sources: [Source] = []
    private var ngrams: [UInt64: Int32] = [:]
    /// `ngrams` for lookups once the index is built (no SipHash per n-gram of every document).
    private var table = HashTable(entries: [:])
    private(set) var items = 0

    var count: Int { ngrams.count }

    init(paths: [String], fields: [String], size: Int, words: OverlapWordScanner.Words = .words) throws {
        self.size = size
        self.words = words
        let scanner = OverlapWordScanner(mode: words)
        try Self.forEachItem(paths: paths, fields: fields) { text, set, item in add(text, set: set, item: item, scanner: scanner) }
        table = HashTable(entries: ngrams)
    }

    /// Calls `body(text, set, item)` with every item of the evaluation sets at `paths` (see the type's comment).
    static func forEachItem(paths: [String], fields: [String], _ body: ([UInt8], String, String) throws -> Void) throws {
        for path in paths {
            let set = Self.setName(path)
            let jsonl = path.contains(".jsonl") || path.contains(".json")
            let reader = BufferedByteReader(source: try openByteSource(path: path))
            var lineNumber = 0
            while let line = try reader.nextLine(maxBytes: 256 << 20) {
                lineNumber += 1
                guard case .line(let bytes, _) = line, !bytes.isEmpty else { continue }
                if jsonl {
                    let value: JSONValue
                    do { value = try JSONParser.parse(bytes) } catch {
                        throw DedupIOError("\(path):\(lineNumber): not a JSON object (\(error)); evaluation sets are JSONL or plain text")
                    }
                    let name = value.objectValue?["id"].map { $0.stringValue ?? JSONWriter.string($0) } ?? String(lineNumber)
                    var strings: [String] = []
                    Self.collectStrings(value, fields: fields, into: &strings)
                    for s in strings { try body(Array(s.utf8), set, name) }
                } else {
                    try body(Array(bytes.bindMemory(to: UInt8.self)), set, String(lineNumber))
                }
            }
        }
    }

    /// The file name without its directory and extensions (`mmlu.test.jsonl.zst` -> `mmlu.test`).
    static func setName(_ path: String) -> String {
        var name = (path as NSString).lastPathComponent
        for ext in [".gz", ".zst", ".jsonl", ".json", ".txt"] where name.hasSuffix(ext) { name.removeLast(ext.count) }
        return name
    }

    /// String values of `value`: of the listed top-level fields (all when `fields` is empty), recursively.
    static func collectStrings(_ value: JSONValue, fields: [String], into out: inout [String]) {
        switch value {
        case .string(let s): out.append(s)
        case .array(let a): for v in a { collectStrings(v, fields: [], into: &out) }
        case .object(let o):
            for entry in o where fields.isEmpty ? entry.key != "id" : fields.contains(entry.key) {
                collectStrings(entry.value, fields: [], into: &out)
            }
        default: break
        }
    }

    private func add(_ text: [UInt8], set: String, item: String, scanner: OverlapWordScanner) {
        items += 1
        text.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress else { return }
            scanner.scan(p, b.count)
        }
        guard scanner.words.count >= size else { return }
        var source: Int32 = -1
        for i in 0...(scanner.words.count - size) {
            let h = scanner.ngramHash(at: i, size: size)
            if ngrams[h] != nil { continue }
            if source < 0 {
                sources.append(Source(set: set, item: item))
                source = Int32(sources.count - 1)
            }
            ngrams[h] = source
        }
    }

    /// Whether an n-gram hash is in the index.
    func contains(_ hash: UInt64) -> Bool { table.mayContain(hash) && table.value(of: hash) != nil }

    /// The item an n-gram hash belongs to, or nil.
    func lookup(_ hash: UInt64) -> Source? { table.value(of: hash).map { sources[Int($0)] } }

    /// An immutable open-addressing table (linear probing) from n-gram hashes, uniform already, to source indices,
    /// with a bit set in front of it: most n-grams of a document are in no evaluation set, and a bit set of 16 to
    /// 32 bits per n-gram (one bit each: 3 to 6 % of the other n-grams pass it) stays in the CPU's nearest caches
    /// where the table does not.
    struct HashTable {
        private let keys: [UInt64]
        /// -1: an empty slot.
        private let values: [Int32]
        private let mask: Int
        /// Bit `hash >> filterShift` is set for each key's hash (the high bits; the slot takes the low bits).
        private let filter: [UInt64]
        private let filterShift: UInt64

        init(entries: [UInt64: Int32]) {
            var capacity = 16
            while capacity < entries.count * 2 { capacity <<= 1 }
            var keys = [UInt64](repeating: 0, count: capacity), values = [Int32](repeating: -1, count: capacity)
            for (key, value) in entries {
                precondition(value >= 0)
                var slot = Int(truncatingIfNeeded: key) & (capacity - 1)
                while values[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
                keys[slot] = key
                values[slot] = value
            }
            (self.keys, self.values, mask) = (keys, values, capacity - 1)
            var filterBits = 1 << 6, shift: UInt64 = 58
            while filterBits < entries.count * 16 { filterBits <<= 1; shift -= 1 }
            var filter = [UInt64](repeating: 0, count: filterBits / 64)
            for key in entries.keys {
                let bit = Int(key >> shift)
                filter[bit >> 6] |= 1 << UInt64(bit & 63)
            }
            (self.filter, filterShift) = (filter, shift)
        }

        /// False when `key` is certainly not in the table.
        @inline(__always) func mayContain(_ key: UInt64) -> Bool {
            let bit = Int(key >> filterShift)
            return filter[bit >> 6] & (1 << UInt64(bit & 63)) != 0
        }

        func value(of key: UInt64) -> Int32? {
            var slot = Int(truncatingIfNeeded: key) & mask
            while true {
                let value = values[slot]
                if value < 0 { return nil }
                if keys[slot] == key { return value }
                slot = (slot + 1) & mask
            }
        }
    }
}
