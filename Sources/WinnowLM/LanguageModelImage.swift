import CPrefetch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The in-memory form of a loaded n-gram model, which is also Winnow's binary model file (`.wlm`,
/// `winnow lm build`): one contiguous, position-independent image that `ARPAModel` scores from directly,
/// whether it was built from ARPA text (in allocated memory) or read from a file: a small file is
/// memory-mapped (read-only, paged in on use, so loading costs a header check); an image of 16 MiB or
/// more, built or read, is held in anonymous memory with transparent huge pages asked for, since random
/// lookups over 4 KiB pages are mostly TLB misses (copying a 178 MB file costs about 0.2 s of load).
///
/// Layout, little-endian, every section 8-byte aligned:
///
///     header   "WINNOWLM" magic, UInt32 version (1), UInt32 order, UInt64 vocabulary size,
///              UInt64 vocabulary slots, UInt64 word bytes, UInt32 <s> id, UInt32 </s> id,
///              UInt64 n-gram count per order, UInt64 table capacity per order >= 2
///     vocabulary slots     UInt64 each: upper 32 bits of the word's hash, id + 1 (0 = empty)
///     word starts          UInt64 per word + 1 (offsets into the word bytes)
///     word bytes
///     unigram log10 p      Float per word
///     unigram back-offs    Float per word
///     per order >= 2       16-byte slots: UInt64 n-gram hash (0 = empty), Float log10 p, Float back-off
///
/// Hashes are fixed functions (`Vocabulary.hash`, `NGramHash`), so an image means the same on any run.
final class LanguageModelImage: @unchecked Sendable {
    static let magic: [UInt8] = Array("WINNOWLM".utf8)
    static let version: UInt32 = 1

    let base: UnsafeRawPointer
    let size: Int
    private let mapped: Bool
    var isMapped: Bool { mapped }
    let tables: LanguageModelTables

    /// Builds the image of a parsed model.
    init(order: Int, counts: [Int], vocabulary: Vocabulary, unigramProb: [Float], unigramBackoff: [Float],
         tables: [NGramTable], bos: UInt32, eos: UInt32) {
        let layout = Layout(order: order, vocabularyCount: vocabulary.count, vocabularySlots: vocabulary.slotTable.count,
                            poolBytes: vocabulary.pool.count, capacities: tables.map(\.slots.count))
        let memory: UnsafeMutableRawPointer
        if layout.size >= Self.hugePageThreshold, let huge = Self.hugePageMemory(layout.size) {
            memory = huge.memory  // zero-filled by the kernel
            anonymous = huge.allocation
        } else {
            memory = UnsafeMutableRawPointer.allocate(byteCount: layout.size, alignment: 16)
            memory.initializeMemory(as: UInt8.self, repeating: 0, count: layout.size)
        }
        layout.writeHeader(memory, counts: counts, bos: bos, eos: eos)
        vocabulary.slotTable.withUnsafeBytes { memory.advanced(by: layout.vocabularySlots).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        let starts = memory.advanced(by: layout.wordStarts).assumingMemoryBound(to: UInt64.self)
        for (i, s) in vocabulary.starts.enumerated() { starts[i] = UInt64(s) }
        starts[vocabulary.count] = UInt64(vocabulary.pool.count)
        vocabulary.pool.withUnsafeBytes { if $0.count > 0 { memory.advanced(by: layout.wordBytes).copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
        unigramProb.withUnsafeBytes { memory.advanced(by: layout.unigramProb).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        unigramBackoff.withUnsafeBytes { memory.advanced(by: layout.unigramBackoff).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        for (k, table) in tables.enumerated() {
            table.slots.withUnsafeBytes { memory.advanced(by: layout.tables[k]).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        }
        base = UnsafeRawPointer(memory)
        size = layout.size
        mapped = false
        self.tables = LanguageModelTables(base: base, layout: layout, bos: bos, eos: eos, counts: counts)
    }

    /// Maps a binary model file read-only; nil when the file does not start with the magic.
    init?(mappingFile path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ARPAError("cannot open \(path)") }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw ARPAError("cannot stat \(path)") }
        let size = Int(status.st_size)
        guard size >= 48 else { return nil }
        var head = [UInt8](repeating: 0, count: 8)
        guard pread(fd, &head, 8, 0) == 8, head == Self.magic else { return nil }
        guard let memory = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), memory != MAP_FAILED else {
            throw ARPAError("cannot map \(path)")
        }
        var base = UnsafeRawPointer(memory)
        func fail(_ m: String) -> ARPAError {
            munmap(memory, size)
            return ARPAError("\(path): \(m)")
        }
        let version = base.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        guard version == Self.version else { throw fail("binary model version \(version), this build reads \(Self.version)") }
        guard let (layout, counts, bos, eos) = Layout.read(base, size: size) else { throw fail("truncated or corrupt binary model") }
        // A large model is copied into memory backed by 2 MiB pages: its lookups land anywhere in it, and
        // with 4 KiB pages of the file mapping nearly every one is a TLB miss, which prefetching cannot hide.
        if size >= Self.hugePageThreshold, let huge = Self.hugePageMemory(size) {
            huge.memory.copyMemory(from: base, byteCount: size)
            munmap(memory, size)
            base = UnsafeRawPointer(huge.memory)
            anonymous = huge.allocation
        }
        self.base = base
        self.size = size
        mapped = true
        tables = LanguageModelTables(base: base, layout: layout, bos: bos, eos: eos, counts: counts)
    }

    deinit {
        if let (memory, length) = anonymous {
            munmap(memory, length)
        } else if mapped {
            munmap(UnsafeMutableRawPointer(mutating: base), size)
        } else {
            base.deallocate()
        }
    }

    /// Models of at least this many bytes are held in 2 MiB pages (`hugePageMemory`).
    static let hugePageThreshold = 16 << 20

    /// The start and length of an anonymous mapping that holds the image instead of the file mapping.
    private var anonymous: (UnsafeMutableRawPointer, Int)? = nil

    /// Anonymous memory of at least `size` bytes starting at a 2 MiB boundary, with transparent huge pages
    /// asked for (`MADV_HUGEPAGE`; the kernel may decline, which only costs speed). Nil if the mapping fails.
    static func hugePageMemory(_ size: Int) -> (memory: UnsafeMutableRawPointer, allocation: (UnsafeMutableRawPointer, Int))? {
        let huge = 2 << 20
        let length = size + huge
        guard let raw = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), raw != MAP_FAILED else { return nil }
        let aligned = (Int(bitPattern: raw) + huge - 1) & ~(huge - 1)
        let memory = UnsafeMutableRawPointer(bitPattern: aligned)!
        #if os(Linux)
        _ = madvise(memory, (size + huge - 1) & ~(huge - 1), Int32(MADV_HUGEPAGE))
        #endif
        return (memory, (raw, length))
    }

    /// Writes the image as a binary model file (via a temporary file renamed into place).
    func write(to path: String) throws {
        let temporary = path + ".tmp\(getpid())"
        guard let file = fopen(temporary, "wb") else { throw ARPAError("cannot create \(temporary)") }
        let written = fwrite(base, 1, size, file)
        let closed = fclose(file)
        guard written == size, closed == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw ARPAError("cannot write \(path)")
        }
    }

    /// Section offsets.
    struct Layout {
        var order: Int
        var vocabularyCount: Int
        var vocabularySlotCount: Int
        var poolBytes: Int
        var capacities: [Int]
        var headerBytes: Int
        var vocabularySlots: Int
        var wordStarts: Int
        var wordBytes: Int
        var unigramProb: Int
        var unigramBackoff: Int
        var tables: [Int]
        var size: Int

        static func align(_ x: Int) -> Int { (x + 7) & ~7 }

        init(order: Int, vocabularyCount: Int, vocabularySlots: Int, poolBytes: Int, capacities: [Int]) {
            self.order = order
            self.vocabularyCount = vocabularyCount
            self.vocabularySlotCount = vocabularySlots
            self.poolBytes = poolBytes
            self.capacities = capacities
            headerBytes = 48 + 8 * order + 8 * (order - 1)
            self.vocabularySlots = Self.align(headerBytes)
            wordStarts = self.vocabularySlots + 8 * vocabularySlots
            wordBytes = wordStarts + 8 * (vocabularyCount + 1)
            unigramProb = Self.align(wordBytes + poolBytes)
            unigramBackoff = Self.align(unigramProb + 4 * vocabularyCount)
            var offset = Self.align(unigramBackoff + 4 * vocabularyCount)
            tables = []
            for c in capacities {
                tables.append(offset)
                offset += 16 * c
            }
            size = offset
        }

        func writeHeader(_ p: UnsafeMutableRawPointer, counts: [Int], bos: UInt32, eos: UInt32) {
            for (i, b) in LanguageModelImage.magic.enumerated() { p.storeBytes(of: b, toByteOffset: i, as: UInt8.self) }
            p.storeBytes(of: LanguageModelImage.version, toByteOffset: 8, as: UInt32.self)
            p.storeBytes(of: UInt32(order), toByteOffset: 12, as: UInt32.self)
            p.storeBytes(of: UInt64(vocabularyCount), toByteOffset: 16, as: UInt64.self)
            p.storeBytes(of: UInt64(vocabularySlotCount), toByteOffset: 24, as: UInt64.self)
            p.storeBytes(of: UInt64(poolBytes), toByteOffset: 32, as: UInt64.self)
            p.storeBytes(of: bos, toByteOffset: 40, as: UInt32.self)
            p.storeBytes(of: eos, toByteOffset: 44, as: UInt32.self)
            for n in 0..<order { p.storeBytes(of: UInt64(counts[n]), toByteOffset: 48 + 8 * n, as: UInt64.self) }
            for k in 0..<(order - 1) {
                p.storeBytes(of: UInt64(capacities[k]), toByteOffset: 48 + 8 * order + 8 * k, as: UInt64.self)
            }
        }

        /// Reads and checks a header against the file size.
        static func read(_ p: UnsafeRawPointer, size: Int) -> (Layout, [Int], UInt32, UInt32)? {
            func u64(_ o: Int) -> Int? {
                guard o + 8 <= size else { return nil }
                let v = p.loadUnaligned(fromByteOffset: o, as: UInt64.self)
                return v < 1 << 40 ? Int(v) : nil
            }
            let order = Int(p.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
            guard order >= 1, order <= 64, let vocabularyCount = u64(16), let slots = u64(24), let pool = u64(32) else { return nil }
            guard slots > 0, slots & (slots - 1) == 0, vocabularyCount >= 3 else { return nil }
            let bos = p.loadUnaligned(fromByteOffset: 40, as: UInt32.self)
            let eos = p.loadUnaligned(fromByteOffset: 44, as: UInt32.self)
            guard Int(bos) < vocabularyCount, Int(eos) < vocabularyCount else { return nil }
            var counts: [Int] = [], capacities: [Int] = []
            for n in 0..<order { guard let c = u64(48 + 8 * n) else { return nil }; counts.append(c) }
            for k in 0..<(order - 1) {
                guard let c = u64(48 + 8 * order + 8 * k), c > 0, c & (c - 1) == 0 else { return nil }
                capacities.append(c)
            }
            let layout = Layout(order: order, vocabularyCount: vocabularyCount, vocabularySlots: slots, poolBytes: pool,
                                capacities: capacities)
            guard layout.size == size else { return nil }
            return (layout, counts, bos, eos)
        }
    }
}

/// Read-only views into a `LanguageModelImage`, used by the scorer.
struct LanguageModelTables: @unchecked Sendable {
    let order: Int
    let counts: [Int]
    let bosID: UInt32
    let eosID: UInt32
    let vocabularyCount: Int
    let vocabularySlots: UnsafePointer<UInt64>
    let vocabularyMask: Int
    let wordStarts: UnsafePointer<UInt64>
    let wordBytes: UnsafePointer<UInt8>
    let poolBytes: Int
    let unigramProb: UnsafePointer<Float>
    let unigramBackoff: UnsafePointer<Float>
    /// tables[k] holds the (k + 2)-grams.
    let tables: [NGramTableView]

    init(base: UnsafeRawPointer, layout: LanguageModelImage.Layout, bos: UInt32, eos: UInt32, counts: [Int]) {
        order = layout.order
        self.counts = counts
        bosID = bos
        eosID = eos
        vocabularyCount = layout.vocabularyCount
        vocabularySlots = (base + layout.vocabularySlots).assumingMemoryBound(to: UInt64.self)
        vocabularyMask = layout.vocabularySlotCount - 1
        wordStarts = (base + layout.wordStarts).assumingMemoryBound(to: UInt64.self)
        wordBytes = (base + layout.wordBytes).assumingMemoryBound(to: UInt8.self)
        poolBytes = layout.poolBytes
        unigramProb = (base + layout.unigramProb).assumingMemoryBound(to: Float.self)
        unigramBackoff = (base + layout.unigramBackoff).assumingMemoryBound(to: Float.self)
        tables = zip(layout.tables, layout.capacities).map { offset, capacity in
            NGramTableView(slots: (base + offset).assumingMemoryBound(to: NGramTable.Slot.self), mask: capacity - 1)
        }
    }

    /// Brings the home slot of a word with hash `h` (`Vocabulary.hash`) into cache ahead of `find`.
    @inline(__always)
    func prefetchWord(hash h: UInt64) {
        winnow_prefetch(vocabularySlots + (Int(truncatingIfNeeded: h) & vocabularyMask))
    }

    /// The id of a word (`Vocabulary.find` over the image).
    @inline(__always)
    func find(_ w: UnsafeBufferPointer<UInt8>) -> UInt32? {
        find(w, hash: Vocabulary.hash(w))
    }

    /// The id of a word whose `Vocabulary.hash` is `h`.
    @inline(__always)
    func find(_ w: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> UInt32? {
        let tag = h >> 32
        var i = Int(truncatingIfNeeded: h) & vocabularyMask
        // A mapped file is not trusted: probes stop after the whole table (no empty slot), and an id or word
        // offset outside the image means "not found" rather than a read out of bounds.
        for _ in 0...vocabularyMask {
            let v = vocabularySlots[i]
            if v == 0 { return nil }
            if v >> 32 == tag {
                let id = Int(truncatingIfNeeded: v & 0xFFFF_FFFF) - 1
                guard id >= 0, id < vocabularyCount else { return nil }
                let s = Int(truncatingIfNeeded: wordStarts[id]), e = Int(truncatingIfNeeded: wordStarts[id + 1])
                guard s >= 0, s <= e, e <= poolBytes else { return nil }
                if e - s == w.count && (w.count == 0 || memcmp(wordBytes + s, w.baseAddress!, w.count) == 0) {
                    return UInt32(id)
                }
            }
            i = (i + 1) & vocabularyMask
        }
        return nil
    }
}

/// A read-only view of an `NGramTable`'s slots.
struct NGramTableView: @unchecked Sendable {
    let slots: UnsafePointer<NGramTable.Slot>
    let mask: Int

    @inline(__always)
    func find(_ rawKey: UInt64) -> NGramTable.Slot? {
        let key = rawKey == 0 ? 1 : rawKey
        var i = Int(truncatingIfNeeded: key) & mask
        for _ in 0...mask {  // a full table (only in a corrupt file) ends the search too
            let v = slots[i]
            if v.key == key { return v }
            if v.key == 0 { return nil }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Brings `key`'s home slot into cache ahead of `find`.
    @inline(__always)
    func prefetch(_ rawKey: UInt64) {
        let key = rawKey == 0 ? 1 : rawKey
        winnow_prefetch(slots + (Int(truncatingIfNeeded: key) & mask))
    }

    @inline(__always) func prob(_ key: UInt64) -> Float? { find(key)?.prob }
    @inline(__always) func backoff(_ key: UInt64) -> Float? { find(key)?.backoff }
}
