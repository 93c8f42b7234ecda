import Foundation
import Testing
import WinnowIO
import WinnowTestSupport

/// Two-word keys, then a 64-bit count in two words (low first): sorted by key, counts of equal keys added.
private struct CountOrder: SpillRecordOrder {
    var sumCounts = true
    func less(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>) -> Bool {
        a[0] != b[0] ? a[0] < b[0] : a[1] < b[1]
    }
    func combine(_ a: UnsafeMutableBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>) -> Bool {
        guard sumCounts, a[0] == b[0], a[1] == b[1] else { return false }
        let sum = (UInt64(a[3]) << 32 | UInt64(a[2])) + (UInt64(b[3]) << 32 | UInt64(b[2]))
        a[2] = UInt32(truncatingIfNeeded: sum)
        a[3] = UInt32(truncatingIfNeeded: sum >> 32)
        return true
    }
}

/// Byte strings in byte order (then length), no combining.
private struct BytesOrder: SpillRecordOrder {
    func less(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool { a.lexicographicallyPrecedes(b) }
}

private func scratchDirectory(_ name: String = #function) throws -> String {
    let path = NSTemporaryDirectory() + "winnow-spill-" + name.filter { $0.isLetter } + "-" + UUID().uuidString.prefix(8)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

private func drain<O: SpillRecordOrder>(_ records: SortedRecords<O>) throws -> [[O.Word]] {
    var out: [[O.Word]] = []
    while let r = records.current {
        out.append(Array(r))
        try records.advance()
    }
    return out
}

struct SpillTests {
    /// Hand-worked: five records, a budget of 16 records (no spill) and the same with runs forced by spill().
    @Test func handWorkedCounts() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input: [[UInt32]] = [[2, 1, 5, 0], [1, 9, 1, 0], [2, 1, 0xFFFF_FFFF, 0], [1, 2, 3, 0], [1, 9, 2, 0]]
        // Sorted by (first, second): (1,2) 3; (1,9) 1+2 = 3; (2,1) 5 + 0xFFFFFFFF = 0x1_0000_0004.
        let expected: [[UInt32]] = [[1, 2, 3, 0], [1, 9, 3, 0], [2, 1, 4, 1]]
        for spillAfter in [0, 1, 2, 5] {
            let sorter = ExternalSorter(order: CountOrder(), recordWords: 4, memoryBytes: 1 << 20, directory: dir, name: "hand\(spillAfter)")
            for (i, r) in input.enumerated() {
                try r.withUnsafeBufferPointer { try sorter.append($0.baseAddress!) }
                if spillAfter > 0, (i + 1) % spillAfter == 0 { try sorter.spill() }
            }
            #expect(try drain(sorter.finish()) == expected, "spilling every \(spillAfter) records")
        }
    }

    /// Any memory budget gives the same merged output as sorting in memory (seeded random records, with and
    /// without combining equal keys).
    @Test func anyBudgetSameAsInMemorySort() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = SplitMix64(seed: 0x5EED_0001)
        for trial in 0..<6 {
            let count = Int(rng.next() % 5000) + 1
            let keyRange = UInt64(trial % 2 == 0 ? 50 : 100_000)
            let records: [[UInt32]] = (0..<count).map { _ in
                [UInt32(rng.next() % keyRange), UInt32(rng.next() % keyRange), UInt32(rng.next() % 1000), 0]
            }
            for sumCounts in [true, false] {
                // The reference: a dictionary of sums, or the plain list, sorted with the standard library.
                var expected: [[UInt32]]
                if sumCounts {
                    var sums: [[UInt32]: UInt64] = [:]
                    for r in records { sums[[r[0], r[1]], default: 0] += UInt64(r[2]) }
                    expected = sums.map { [$0.key[0], $0.key[1], UInt32(truncatingIfNeeded: $0.value), UInt32($0.value >> 32)] }
                } else {
                    expected = records
                }
                expected.sort { ($0[0], $0[1], $0[2]) < ($1[0], $1[1], $1[2]) }
                for budgetRecords in [16, 17, 100, 1000, 100_000] {
                    let sorter = ExternalSorter(order: CountOrder(sumCounts: sumCounts), recordWords: 4,
                                                memoryBytes: budgetRecords * ExternalSorter<CountOrder>.bytesPerRecord(words: 4),
                                                directory: dir, name: "t\(trial)-\(sumCounts)-\(budgetRecords)")
                    for r in records { try r.withUnsafeBufferPointer { try sorter.append($0.baseAddress!) } }
                    var got = try drain(sorter.finish(readBufferBytes: 256))
                    // Without combining, records of equal key may come in any order: compare as sorted lists.
                    if !sumCounts { got.sort { ($0[0], $0[1], $0[2]) < ($1[0], $1[1], $1[2]) } }
                    #expect(got == expected, "trial \(trial), combine \(sumCounts), budget \(budgetRecords) records")
                    if budgetRecords < count { #expect(!sorter.runPaths.isEmpty, "a small budget spills") }
                }
            }
        }
    }

    /// Length-prefixed byte records: runs written in sorted order merge into the sorted whole, whatever the
    /// read buffer (records longer than the buffer included), and an empty record survives.
    @Test func lengthPrefixedRunsMerge() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = SplitMix64(seed: 0x5EED_0002)
        var all: [[UInt8]] = []
        var paths: [String] = []
        for run in 0..<7 {
            var records: [[UInt8]] = (0..<Int(rng.next() % 300)).map { _ in
                let length = rng.next() % 10 == 0 ? Int(rng.next() % 700) : Int(rng.next() % 6)
                return (0..<length).map { _ in UInt8(rng.next() % 4) }
            }
            if run == 3 { records.append([]) }
            records.sort { $0.lexicographicallyPrecedes($1) }
            all += records
            let path = "\(dir)/run\(run)"
            let writer = try SpillRunWriter<UInt8>(path: path, layout: .lengthPrefixed)
            for r in records { try r.withUnsafeBufferPointer { try writer.append($0) } }
            try writer.close()
            #expect(writer.recordCount == records.count)
            paths.append(path)
        }
        all.sort { $0.lexicographicallyPrecedes($1) }
        for bufferBytes in [1, 64, 1 << 20] {
            let merged = try drain(SortedRecords(runs: paths, layout: .lengthPrefixed, order: BytesOrder(), bufferBytes: bufferBytes))
            let firstDifference = zip(merged, all).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            #expect(merged.count == all.count && firstDifference == nil,
                    "read buffer of \(bufferBytes) bytes: \(merged.count) records for \(all.count), first difference at \(String(describing: firstDifference))")
        }
    }

    /// A run cut short is an error naming the file, not a silently shorter output.
    @Test func truncatedRunIsAnError() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/cut"
        try Data([1, 0, 0, 0, 2, 0, 0]).write(to: URL(fileURLWithPath: path))  // one UInt32 and 3 bytes
        do {
            _ = try drain(SortedRecords(runs: [path], layout: .fixed(words: 1), order: FixedWordOrder()))
            Issue.record("a truncated fixed run was read without an error")
        } catch let error as SpillError {
            #expect(error.description.contains(path))
        }
        try Data([5, 1, 2]).write(to: URL(fileURLWithPath: path))  // a 5-byte record with 2 bytes
        #expect(throws: SpillError.self) { _ = try drain(SortedRecords(runs: [path], layout: .lengthPrefixed, order: BytesOrder())) }
        #expect(throws: SpillError.self) { _ = try SpillRunWriter<UInt8>(path: "\(dir)/missing/run", layout: .lengthPrefixed) }
    }
}

private struct FixedWordOrder: SpillRecordOrder {
    func less(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>) -> Bool { a[0] < b[0] }
}
