import Foundation
import WinnowCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A persistent index of a processed dataset (`winnow dedup index`), for `against:` of a dedup step on a later
/// dataset. A directory with
///
/// - `index.json`: the format, the method (lines, sentences, minhash, exact), the hashing signature (the
///   parameters that decide the keys), the number of key files and of keys;
/// - `keys-XXX.bin`: one file per key index (a MinHash band; one file for the other methods), records
///   (key, position of the first indexed document holding it, documents holding it), sorted by key, one per
///   distinct key (24-byte little-endian `UInt64` triples, as every record file of the module);
/// - `documents.bin` and `documents.tsv`: every indexed document as a line `id \t input file \t record` of the
///   text file, and records (position, byte offset of its line, 0) sorted by position, so that a matched key
///   names the document it came from.
///
/// Every file is read by binary search and streaming: memory does not grow with the index.
///
/// A Bloom-filter index (`bloom_false_positive_rate`, for datasets too large to sort) holds `bloom.bin`
/// instead (the filter's bits, little-endian `UInt64` words; its shape in `index.json`) and no document ids.
struct DedupIndex: Sendable {
    static let bloomFile = "bloom.bin"
    static let manifestFile = "index.json"
    static let documentsTable = "documents.tsv"
    static let documentsRecords = "documents.bin"
    static let format = 2
    static func keysFile(_ k: Int) -> String { "keys-" + String(format: "%03d", k) + ".bin" }

    let directory: String
    let keyFiles: Int
    /// The filter's shape when the index is a Bloom filter.
    let bloom: BloomFilterShape?

    /// Opens the index at `directory`, checking that it holds `method` keys hashed as `signature`; throws a
    /// message naming what differs and what to do.
    init(_ given: String, method: String, signature: String) throws {
        // Absolute, so that tasks running elsewhere (a cluster job) find it and removals name it unambiguously.
        let directory = given.hasPrefix("/") ? given : FileManager.default.currentDirectoryPath + "/" + given
        let manifest = directory + "/" + Self.manifestFile
        guard let data = FileManager.default.contents(atPath: manifest),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw DedupIOError("\(manifest) is missing or not JSON: build the index with `winnow dedup index`")
        }
        guard object["format"] as? Int == Self.format else {
            throw DedupIOError("the index \(directory) was written by an older winnow (no document ids): rebuild it with `winnow dedup index`")
        }
        let built = object["method"] as? String ?? ""
        guard built == method else {
            throw DedupIOError("the index \(directory) holds \(built) keys, this step needs \(method) keys: build one with `winnow dedup index --method \(method)`")
        }
        let hashing = object["hashing"] as? String ?? ""
        guard hashing == signature else {
            throw DedupIOError("the index \(directory) was built with hashing '\(hashing)', this step hashes '\(signature)': rebuild it with the same parameters")
        }
        self.directory = directory
        keyFiles = object["key_files"] as? Int ?? 1
        if let b = object["bloom"] as? [String: Any] {
            guard let bits = b["bits"] as? Int, let hashes = b["hashes"] as? Int else {
                throw DedupIOError("\(manifest): the bloom entry lacks bits or hashes; rebuild the index")
            }
            bloom = BloomFilterShape(bits: bits, hashes: hashes)
        } else {
            bloom = nil
        }
    }

    /// Answers "is this key in key file `k`, at which row" for increasing keys, from the first key `h` with
    /// `isAtOrAfter(h)` on (a Bloom filter answers for any key, with row `IndexMatch.bloomRow`).
    func matcher(keyFile k: Int, from isAtOrAfter: (UInt64) -> Bool = { _ in true }) throws -> any IndexKeyMatcher {
        if let bloom { return BloomKeyMatcher(try BloomFilterFile(path: directory + "/" + Self.bloomFile, shape: bloom)) }
        return try IndexKeyCursor(path: keysPath(k), from: isAtOrAfter)
    }

    func keysPath(_ k: Int) -> String { directory + "/" + Self.keysFile(k) }

    /// Opens the indexes of a step's `against:` (directories), each checked by `DedupIndex.init`.
    static func openAll(_ p: StageParameters, method: String, signature: String) throws -> [DedupIndex] {
        do { return try p.stringList("against").map { try DedupIndex($0, method: method, signature: signature) } } catch let e as DedupIOError {
            throw p.error("against", e.description)
        }
    }
}

/// A key found in one of a step's `against:` indexes, packed in a `UInt64` as the rank of the records the dups
/// or buckets phase writes: the index's number in `against` (plus one, so that 0 means "no index") in the
/// high 16 bits, the row of the key in the index's key file below.
enum IndexMatch {
    /// The row of a Bloom-filter match (such an index has no rows).
    static let bloomRow = 0xFFFF_FFFF_FFFF
    static func code(index: Int, row: Int) -> UInt64 { UInt64(index + 1) << 48 | UInt64(row) }
    static func unpack(_ code: UInt64) -> (index: Int, row: Int)? {
        code >> 48 == 0 ? nil : (Int(code >> 48) - 1, Int(code & 0xFFFF_FFFF_FFFF))
    }
}

/// Looks keys up in one key file of an index.
protocol IndexKeyMatcher: AnyObject {
    /// The row of `key`, or nil when the index does not hold it; calls must come with increasing keys.
    func row(of key: UInt64) throws -> Int?
}

/// A Bloom-filter index's matcher: any row it answers is `IndexMatch.bloomRow`.
final class BloomKeyMatcher: IndexKeyMatcher {
    private let filter: BloomFilterFile
    init(_ filter: BloomFilterFile) { self.filter = filter }
    func row(of key: UInt64) throws -> Int? { filter.contains(key) ? IndexMatch.bloomRow : nil }
}

/// Reads one key file of an index from a given key on, in order, answering "is this key there, and at which
/// row" for increasing keys.
final class IndexKeyCursor: IndexKeyMatcher {
    private let reader: SortedRecordReader
    private var current: DedupRecord?
    private var row: Int

    /// Opens `path` on the first record whose key `k` has `isAtOrAfter(k)` (monotonic in `k`).
    init(path: String, from isAtOrAfter: (UInt64) -> Bool = { _ in true }) throws {
        let access = try RecordFileAccess(path: path, rerun: "`winnow dedup index`")
        var low = 0, high = access.count
        while low < high {
            let mid = (low + high) / 2
            if isAtOrAfter(try access.record(mid).key) { high = mid } else { low = mid + 1 }
        }
        row = low
        reader = try SortedRecordReader(path: path, from: low)
        current = try reader.read()
    }

    /// The row of `key` in the file, or nil; calls must come with increasing keys.
    func row(of key: UInt64) throws -> Int? {
        while let c = current, c.key < key { current = try reader.read(); row += 1 }
        return current?.key == key ? row : nil
    }
}

/// Names the indexed document a match came from: the key's row gives the document's position, `documents.bin`
/// its line in `documents.tsv`.
final class IndexDocumentLookup {
    private let keys: [RecordFileAccess]
    private let documents: RecordFileAccess?
    private let table: Int32
    private let tablePath: String
    let directory: String
    private let isBloom: Bool
    /// Documents already looked up, by (key file << 48 | row); emptied past `cacheLimit` entries. Boilerplate
    /// lines and repeated spans point at the same few indexed documents over and over.
    private var cache: [UInt64: (id: String, file: String, record: Int)] = [:]
    private let cacheLimit = 1 << 16

    init(_ index: DedupIndex) throws {
        directory = index.directory
        tablePath = index.directory + "/" + DedupIndex.documentsTable
        isBloom = index.bloom != nil
        guard !isBloom else { (keys, documents, table) = ([], nil, -1); return }
        keys = try (0..<index.keyFiles).map { try RecordFileAccess(path: index.keysPath($0), rerun: "`winnow dedup index`") }
        documents = try RecordFileAccess(path: index.directory + "/" + DedupIndex.documentsRecords, rerun: "`winnow dedup index`")
        table = open(tablePath, O_RDONLY)
        guard table >= 0 else { throw DedupIOError("cannot open \(tablePath): \(String(cString: strerror(errno))); rebuild the index") }
    }

    deinit { if table >= 0 { close(table) } }

    /// The indexed document (id, input file, record) holding the key at `row` of key file `keyFile`.
    func document(keyFile: Int, row: Int) throws -> (id: String, file: String, record: Int) {
        let cacheKey = UInt64(keyFile) << 48 | UInt64(row)
        if let known = cache[cacheKey] { return known }
        let found = try readDocument(keyFile: keyFile, row: row)
        if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[cacheKey] = found
        return found
    }

    private func readDocument(keyFile: Int, row: Int) throws -> (id: String, file: String, record: Int) {
        guard let documents else { throw DedupIOError("\(directory) is a Bloom-filter index: it has no document ids") }
        let position = try keys[keyFile].record(row).position
        let at = try documents.lowerBound(position)
        guard at < documents.count, case let entry = try documents.record(at), entry.key == position else {
            throw DedupIOError("\(directory): no document at position \(position) in \(DedupIndex.documentsRecords); rebuild the index")
        }
        guard let line = ClusterMemberLookup.line(table, at: entry.position) else {
            throw DedupIOError("cannot read \(tablePath) at \(entry.position); rebuild the index")
        }
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count == 3, let record = Int(fields[2]) else { throw DedupIOError("\(tablePath): malformed line at \(entry.position); rebuild the index") }
        return (IdListReader.unescape(fields[0]), IdListReader.unescape(fields[1]), record)
    }

    /// `document ID (FILE record R) of index DIR`, for exclusion reasons.
    func describe(keyFile: Int, row: Int) throws -> String {
        if isBloom { return "a document of Bloom-filter index \(directory) (which keeps no document ids)" }
        let d = try document(keyFile: keyFile, row: row)
        return "document \(d.id) (\(d.file) record \(d.record)) of index \(directory)"
    }

    /// The match as a metadata object: index, id, file, record.
    func metadata(keyFile: Int, row: Int) throws -> JSONValue {
        if isBloom { return .object(["index": .string(directory), "bloom": .bool(true)]) }
        let d = try document(keyFile: keyFile, row: row)
        return .object(["index": .string(directory), "id": .string(d.id), "file": .string(d.file), "record": .number(JSONNumber(d.record))])
    }
}
