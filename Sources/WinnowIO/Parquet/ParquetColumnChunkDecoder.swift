import WinnowCore
import CZlib

/// A non-repeated leaf column of a file's schema: a top-level column, or a field of a struct.
struct ParquetLeafColumn: Sendable {
    var name: String
    /// Index among all leaf columns (the index into a row group's column chunks).
    var leafIndex: Int
    var type: ParquetPhysicalType
    var typeLength: Int
    /// The definition level of a present value (0: required all the way).
    var maxDefinition: Int
    /// 1 for the element, key and value columns of lists and maps (rows span several entries), else 0.
    var maxRepetition = 0
    var logical: ParquetLogicalType?
    /// Struct fields: the names below the top-level field, ending with this leaf's.
    var path: [String] = []
    /// Struct fields: per enclosing group, top-level first, the definition level at which it is present.
    var ancestorDefinitions: [Int] = []

    var optional: Bool { maxDefinition > 0 }
}

/// Why a column chunk could not be decoded, and where: the page index and its byte offset in the file.
struct ParquetPageFailure: Error {
    var page: Int
    var offset: Int64
    var detail: String
    /// The column's name (set by `ParquetColumnCursor`).
    var column = ""
}

/// Decodes one column chunk a data page at a time, reading each page from the file when it is needed:
/// dictionary page, data pages v1 and v2, levels, value encodings, decompression, CRC checks. Only the
/// current page is held (compressed and decoded), never the whole chunk.
struct ParquetColumnChunkDecoder {
    let column: ParquetLeafColumn
    let codec: ParquetCodec
    /// The largest uncompressed page accepted (`max_record_bytes`): a corrupt header cannot make the
    /// reader allocate more.
    let maxPageBytes: Int
    /// The file, and where the chunk is in it: its first byte and its size.
    let file: ParquetFile
    let chunkOffset: Int64
    let chunkSize: Int
    let numValues: Int

    /// The current page's non-null values, in order.
    private(set) var values: ParquetValues
    /// `values.count`, kept so the row loop does not take the enum apart for it once per row.
    private(set) var valueCount = 0
    /// Per entry of the current page, its definition level (empty when the column is required).
    private(set) var definitions: [UInt8] = []
    /// Per entry of the current page, its repetition level (empty unless the column is repeated).
    private(set) var repetitions: [UInt8] = []
    /// Entries (values, nulls included; one per row unless the column is repeated) of the current page.
    private(set) var pageRows = 0

    private var dictionary: ParquetValues?
    private var position = 0
    /// Index of the next page in the chunk.
    private(set) var page = 0
    private var seen = 0
    /// The current page decompressed (its first `uncompressedSize` bytes; the rest is stale).
    private var pageBuffer: [UInt8] = []
    /// The current page header's window and the page's compressed bytes, reused page after page.
    private var headBuffer: [UInt8] = []
    private var compressedBuffer: [UInt8] = []
    private let zstd = ParquetZstdContext()
    private var levels: [UInt32] = []
    /// Per value of the current page, its dictionary entry when the page is dictionary-encoded (else empty).
    private(set) var indices: [UInt32] = []
    /// Dictionary pages decoded so far, and the entries of the last one: a cache of converted entries
    /// (`ParquetColumnCursor`) knows from these when it is stale.
    private(set) var dictionaryVersion = 0
    private(set) var dictionaryCount = 0

    /// The column chunk of `chunkSize` bytes at `chunkOffset` in `file` (within the file's data: the caller
    /// checks), with `numValues` entries (nulls included; for a repeated column, one per list element, empty
    /// or null list).
    init(column: ParquetLeafColumn, codec: ParquetCodec, maxPageBytes: Int, file: ParquetFile, chunkOffset: Int64, chunkSize: Int,
         numValues: Int) {
        self.column = column
        self.codec = codec
        self.maxPageBytes = maxPageBytes
        self.file = file
        self.chunkOffset = chunkOffset
        self.chunkSize = chunkSize
        self.numValues = numValues
        values = ParquetValues.empty(column.type)
    }

    /// Decodes the next data page into `values`, `defined` and `pageRows` (dictionary and index pages on
    /// the way are handled); false when the chunk's values are all read.
    mutating func nextPage() throws(ParquetPageFailure) -> Bool {
        values.removeAll()
        valueCount = 0
        indices.removeAll(keepingCapacity: true)
        definitions.removeAll(keepingCapacity: true)
        repetitions.removeAll(keepingCapacity: true)
        pageRows = 0
        while seen < numValues {
            let pageStart = position
            var decodedData = false
            do {
                guard position < chunkSize else {
                    throw ParquetFormatError("the column chunk ends after \(seen) of its \(numValues) values")
                }
                // The header: a window from the page's start, widened until the header parses or the chunk ends.
                var window = min(chunkSize - position, 8192)
                var parsed: (header: ParquetPageHeader, length: Int)?
                while parsed == nil {
                    try file.read(offset: chunkOffset + Int64(position), count: window, into: &headBuffer)
                    var reader = ThriftCompactReader(headBuffer, to: window)
                    do {
                        parsed = (try ParquetPageHeader(thrift: &reader), reader.position)
                    } catch let error as ParquetFormatError {
                        guard window < chunkSize - position else { throw error }
                        window = min(chunkSize - position, window * 8)
                    }
                }
                let (header, headerLength) = parsed!
                let dataStart = position + headerLength
                guard header.compressedSize >= 0, Int(header.compressedSize) <= chunkSize - dataStart else {
                    throw ParquetFormatError("page of \(header.compressedSize) bytes runs past the end of its column chunk")
                }
                guard Int(header.uncompressedSize) <= maxPageBytes else {
                    throw ParquetFormatError("page of \(header.uncompressedSize) bytes exceeds max_record_bytes \(maxPageBytes)")
                }
                // Levels and values are sized from this count: at most one value per byte of max_record_bytes,
                // so a page's decoded levels stay within 4 x max_record_bytes however well they compress.
                guard header.numValues >= 0, Int(header.numValues) <= maxPageBytes else {
                    throw ParquetFormatError("page header gives \(header.numValues) values (at most max_record_bytes, \(maxPageBytes), are read)")
                }
                if header.type == ParquetPageType.dataPage || header.type == ParquetPageType.dataPageV2 {
                    guard Int(header.numValues) <= numValues - seen else {
                        throw ParquetFormatError("page of \(header.numValues) values overruns the chunk's \(numValues)")
                    }
                }
                let size = Int(header.compressedSize)
                position = dataStart + size
                var data: [UInt8] = []
                if headerLength + size <= window {
                    swap(&data, &headBuffer)
                    defer { swap(&data, &headBuffer) }
                    try data.withUnsafeBytes { try decodePage(header, data: UnsafeRawBufferPointer(rebasing: $0[headerLength..<(headerLength + size)])) }
                } else {
                    swap(&data, &compressedBuffer)
                    defer { swap(&data, &compressedBuffer) }
                    try file.read(offset: chunkOffset + Int64(dataStart), count: size, into: &data)
                    try data.withUnsafeBytes { try decodePage(header, data: UnsafeRawBufferPointer(rebasing: $0[..<size])) }
                }
                if header.type == ParquetPageType.dataPage || header.type == ParquetPageType.dataPageV2 {
                    seen += Int(header.numValues)
                    pageRows = Int(header.numValues)
                    valueCount = values.count
                    decodedData = true
                }
            } catch let error as ParquetFormatError {
                throw ParquetPageFailure(page: page, offset: chunkOffset + Int64(pageStart), detail: error.detail)
            } catch {
                throw ParquetPageFailure(page: page, offset: chunkOffset + Int64(pageStart), detail: "\(error)")
            }
            page += 1
            if decodedData { return true }
        }
        return false
    }

    /// Decodes one page whose header is `header` and whose (compressed) bytes are `data`.
    private mutating func decodePage(_ header: ParquetPageHeader, data: UnsafeRawBufferPointer) throws {
        do {
            if let expected = header.crc {
                let actual = UInt32(crc32(0, data.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt32(data.count)))
                guard actual == expected else {
                    throw ParquetFormatError("page CRC mismatch (header \(expected), data \(actual))")
                }
            }
            switch header.type {
            case ParquetPageType.dictionaryPage:
                let size = Int(header.uncompressedSize)
                try codec.decompress(data, size: size, into: &pageBuffer, zstd: zstd)
                var dict = ParquetValues.empty(column.type)
                try pageBuffer.withUnsafeBytes {
                    try ParquetValueDecoder.decodePlain(UnsafeRawBufferPointer(rebasing: $0[..<size]), type: column.type, typeLength: column.typeLength,
                                                       count: Int(header.numValues), into: &dict)
                }
                dictionary = dict
                dictionaryVersion += 1
                dictionaryCount = dict.count
            case ParquetPageType.dataPage:
                let size = Int(header.uncompressedSize)
                try codec.decompress(data, size: size, into: &pageBuffer, zstd: zstd)
                var page: [UInt8] = []
                swap(&page, &pageBuffer)
                defer { swap(&page, &pageBuffer) }
                let (valuesStart, present) = try page.withUnsafeBytes { whole -> (Int, Int) in
                    let page = UnsafeRawBufferPointer(rebasing: whole[..<size])
                    var valuesStart = 0
                    var present = Int(header.numValues)
                    if column.maxRepetition > 0 {
                        guard page.count >= 4 else { throw ParquetFormatError("data page too short for its repetition levels") }
                        let length = Int(page.loadUnaligned(as: UInt32.self).littleEndian)
                        guard length <= page.count - 4 else { throw ParquetFormatError("repetition levels run past the page") }
                        try appendRepetitions(UnsafeRawBufferPointer(rebasing: page[4..<4 + length]), count: Int(header.numValues))
                        valuesStart = 4 + length
                    }
                    if column.optional {
                        guard page.count - valuesStart >= 4 else { throw ParquetFormatError("data page too short for its definition levels") }
                        let length = Int(page.loadUnaligned(fromByteOffset: valuesStart, as: UInt32.self).littleEndian)
                        guard length <= page.count - valuesStart - 4 else { throw ParquetFormatError("definition levels run past the page") }
                        present = try appendLevels(UnsafeRawBufferPointer(rebasing: page[(valuesStart + 4)..<(valuesStart + 4 + length)]),
                                                   count: Int(header.numValues))
                        valuesStart += 4 + length
                    }
                    return (valuesStart, present)
                }
                try decodeValues(&page, from: valuesStart, to: size, encoding: header.encoding, count: present)
            case ParquetPageType.dataPageV2:
                let repLength = Int(header.repetitionLevelsLength), defLength = Int(header.definitionLevelsLength)
                guard repLength >= 0, defLength >= 0, repLength + defLength <= data.count,
                      repLength + defLength <= Int(header.uncompressedSize) else {
                    throw ParquetFormatError("page levels are longer than the page")
                }
                var present = Int(header.numValues)
                if column.maxRepetition > 0 {
                    try appendRepetitions(UnsafeRawBufferPointer(rebasing: data[0..<repLength]), count: Int(header.numValues))
                }
                if column.optional {
                    present = try appendLevels(UnsafeRawBufferPointer(rebasing: data[repLength..<repLength + defLength]),
                                               count: Int(header.numValues))
                }
                let body = UnsafeRawBufferPointer(rebasing: data[(repLength + defLength)...])
                if header.isCompressed && codec != .uncompressed {
                    let size = Int(header.uncompressedSize) - repLength - defLength
                    try codec.decompress(body, size: size, into: &pageBuffer, zstd: zstd)
                    var page: [UInt8] = []
                    swap(&page, &pageBuffer)
                    defer { swap(&page, &pageBuffer) }
                    try decodeValues(&page, from: 0, to: size, encoding: header.encoding, count: present)
                } else {
                    try decodeValues(body, encoding: header.encoding, count: present)
                }
            default:
                break  // index pages and unknown page types carry no values
            }
        }
    }

    /// Decodes definition levels and appends them; returns how many rows have a value (the maximum level).
    private mutating func appendLevels(_ data: UnsafeRawBufferPointer, count: Int) throws -> Int {
        levels.removeAll(keepingCapacity: true)
        let maximum = column.maxDefinition
        try RLEBitPackedHybrid.decode(data, bitWidth: UInt32(maximum).bitWidth - UInt32(maximum).leadingZeroBitCount, count: count, into: &levels)
        // Branch-free passes (they vectorize): the highest level, the count at the maximum, the levels as bytes.
        let top = UInt32(maximum)
        var highest: UInt32 = 0
        var present = 0
        for level in levels {
            highest = Swift.max(highest, level)
            present &+= level == top ? 1 : 0
        }
        guard highest <= top else {
            throw ParquetFormatError("definition level \(levels.first { $0 > top }!) above the column's maximum \(maximum)")
        }
        let start = definitions.count
        definitions.append(contentsOf: repeatElement(0, count: levels.count))
        definitions.withUnsafeMutableBufferPointer { out in
            levels.withUnsafeBufferPointer { source in
                for k in source.indices { out[start + k] = UInt8(truncatingIfNeeded: source[k]) }
            }
        }
        return present
    }

    /// Decodes repetition levels into `repetitions`.
    private mutating func appendRepetitions(_ data: UnsafeRawBufferPointer, count: Int) throws {
        levels.removeAll(keepingCapacity: true)
        let maximum = column.maxRepetition
        try RLEBitPackedHybrid.decode(data, bitWidth: UInt32(maximum).bitWidth - UInt32(maximum).leadingZeroBitCount, count: count, into: &levels)
        for level in levels {
            guard level <= maximum else { throw ParquetFormatError("repetition level \(level) above the column's maximum \(maximum)") }
            repetitions.append(UInt8(level))
        }
    }

    /// True once every entry of the chunk has been decoded into a page.
    var exhausted: Bool { seen >= numValues }

    /// Decodes the values in bytes `start..<end` of a decoded page. PLAIN byte arrays keep the page as their
    /// storage (no copy): `page` then holds the previous values' storage, for the next page.
    private mutating func decodeValues(_ page: inout [UInt8], from start: Int, to end: Int, encoding: Int32, count: Int) throws {
        if encoding == ParquetEncoding.plain, column.type == .byteArray, case .bytes(var v) = values, v.count == 0 {
            values = .boolean([])
            defer { values = .bytes(v) }
            try v.adoptPlainPage(&page, valuesStart: start, valuesEnd: end, count: count)
            return
        }
        try page.withUnsafeBytes { try decodeValues(UnsafeRawBufferPointer(rebasing: $0[start..<end]), encoding: encoding, count: count) }
    }

    private mutating func decodeValues(_ data: UnsafeRawBufferPointer, encoding: Int32, count: Int) throws {
        guard encoding == ParquetEncoding.plainDictionary || encoding == ParquetEncoding.rleDictionary else {
            try ParquetValueDecoder.decode(data, encoding: encoding, type: column.type, typeLength: column.typeLength,
                                           count: count, into: &values)
            return
        }
        guard let dictionary else { throw ParquetFormatError("dictionary-encoded page without a dictionary page") }
        if count == 0 { return }
        guard data.count >= 1 else { throw ParquetFormatError("dictionary-encoded page without its bit width") }
        indices.removeAll(keepingCapacity: true)
        try RLEBitPackedHybrid.decode(UnsafeRawBufferPointer(rebasing: data[1...]), bitWidth: Int(data[0]), count: count, into: &indices)
        let size = dictionary.count
        for index in indices where Int(index) >= size {
            throw ParquetFormatError("dictionary index \(index) is out of range (the dictionary holds \(size) values)")
        }
        Self.gather(indices, from: dictionary, into: &values)
    }

    private static func gather(_ indices: [UInt32], from dictionary: ParquetValues, into values: inout ParquetValues) {
        switch (dictionary, values) {
        case (.bytes(let d), .bytes(var v)):
            values = .boolean([])
            if v.count == 0 {
                // The page's values point into the dictionary's bytes (shared, not copied).
                v.data = d.data
                v.starts.append(contentsOf: indices.lazy.map { d.starts[Int($0)] })
                v.ends.append(contentsOf: indices.lazy.map { d.ends[Int($0)] })
            } else {
                d.data.withUnsafeBytes { raw in
                    for i in indices {
                        v.append(UnsafeRawBufferPointer(rebasing: raw[d.starts[Int(i)]..<d.ends[Int(i)]]))
                    }
                }
            }
            values = .bytes(v)
        case (.int32(let d), .int32(var v)):
            values = .boolean([]); v.append(contentsOf: indices.lazy.map { d[Int($0)] }); values = .int32(v)
        case (.int64(let d), .int64(var v)):
            values = .boolean([]); v.append(contentsOf: indices.lazy.map { d[Int($0)] }); values = .int64(v)
        case (.int96(let d), .int96(var v)):
            values = .boolean([]); v.append(contentsOf: indices.lazy.map { d[Int($0)] }); values = .int96(v)
        case (.float(let d), .float(var v)):
            values = .boolean([]); v.append(contentsOf: indices.lazy.map { d[Int($0)] }); values = .float(v)
        case (.double(let d), .double(var v)):
            values = .boolean([]); v.append(contentsOf: indices.lazy.map { d[Int($0)] }); values = .double(v)
        case (.boolean(let d), .boolean(var v)):
            values = .int32([]); v.append(contentsOf: indices.lazy.map { d[Int($0)] }); values = .boolean(v)
        default:
            break
        }
    }
}

/// Walks a column chunk row by row, decoding pages as it goes.
struct ParquetColumnCursor {
    private(set) var decoder: ParquetColumnChunkDecoder
    private var row = 0
    private var valueIndex = 0
    /// The definition level of the row `next` returned last.
    private(set) var level = 0

    init(_ decoder: ParquetColumnChunkDecoder) { self.decoder = decoder }

    /// Decodes the next data page and starts at its first entry; false when the chunk has no more.
    private mutating func loadPage() throws(ParquetPageFailure) -> Bool {
        do {
            guard try decoder.nextPage() else { return false }
        } catch {
            var failure = error
            failure.column = decoder.column.name
            throw failure
        }
        row = 0
        valueIndex = 0
        return true
    }

    /// Value `i` of the current page as document metadata, read where it lies (going through
    /// `decoder.values` from outside copies the enum and retains its arrays, once per row and column). On a
    /// dictionary-encoded page a string or timestamp entry is converted once and shared by every row that
    /// refers to it (a `dump` or `file_path` column repeats a few values over many rows).
    mutating func metadataValue(at i: Int, logical: ParquetLogicalType?, replacements: inout Int) -> JSONValue {
        guard i < decoder.indices.count, decoder.indices.count == decoder.valueCount, !convertedNotWorthIt,
              convertsDictionaryEntriesOnce(logical) else {
            return ParquetMetadataValues.value(decoder.values, at: i, logical: logical, replacements: &replacements)
        }
        if convertedVersion != decoder.dictionaryVersion {
            convertedVersion = decoder.dictionaryVersion
            converted = decoder.dictionaryCount <= Self.maxConvertedEntries
                ? Array(repeating: nil, count: decoder.dictionaryCount) : []
            (convertedHits, convertedMisses, convertedNotWorthIt) = (0, 0, false)
        }
        let entry = Int(decoder.indices[i])
        guard entry < converted.count else {
            return ParquetMetadataValues.value(decoder.values, at: i, logical: logical, replacements: &replacements)
        }
        if let known = converted[entry] {
            convertedHits += 1
            replacements += known.replacements
            return known.value
        }
        convertedMisses += 1
        if convertedMisses >= 4096 && convertedHits < convertedMisses {
            // Mostly distinct values (a url column): the cache costs more than it saves.
            convertedNotWorthIt = true
            converted = []
        }
        var repaired = 0
        let value = ParquetMetadataValues.value(decoder.values, at: i, logical: logical, replacements: &repaired)
        if !convertedNotWorthIt { converted[entry] = (value, repaired) }
        replacements += repaired
        return value
    }

    /// Dictionary entries converted so far (entry -> value and the invalid UTF-8 sequences it repaired), for
    /// dictionaries of at most `maxConvertedEntries` entries (about 2 MB of cache per column).
    private var converted: [(value: JSONValue, replacements: Int)?] = []
    private var convertedVersion = 0
    private var convertedHits = 0, convertedMisses = 0
    /// Set for the rest of the chunk once most lookups missed.
    private var convertedNotWorthIt = false
    private static let maxConvertedEntries = 1 << 16

    /// Strings and timestamps cost an allocation or formatting per value; numbers and booleans do not.
    private func convertsDictionaryEntriesOnce(_ logical: ParquetLogicalType?) -> Bool {
        switch decoder.column.type {
        case .byteArray, .fixedLenByteArray, .int96: return true
        case .int32, .int64:
            switch logical {
            case .date, .timestamp: return true
            default: return false
            }
        default: return false
        }
    }

    /// Value `i` of the current page as UTF-8 bytes (repaired where invalid), or nil unless it is a byte array.
    mutating func bytes(at i: Int, replacements: inout Int) -> [UInt8]? {
        guard case .bytes(let values) = decoder.values else { return nil }
        return ParquetMetadataValues.bytes(values, at: i, replacements: &replacements)
    }

    /// Moves to the next row: the index of its value in `decoder.values`, or nil when it is null.
    mutating func next() throws(ParquetPageFailure) -> Int? {
        while row >= decoder.pageRows {
            guard try loadPage() else {
                throw ParquetPageFailure(page: decoder.page, offset: decoder.chunkOffset,
                                         detail: "the column chunk holds fewer values than its row group has rows", column: decoder.column.name)
            }
        }
        let current = row
        row += 1
        level = decoder.column.optional ? Int(decoder.definitions[current]) : 0
        if level < decoder.column.maxDefinition { return nil }
        valueIndex += 1
        guard valueIndex <= decoder.valueCount else {
            throw ParquetPageFailure(page: decoder.page - 1, offset: decoder.chunkOffset,
                                     detail: "a page holds fewer values than its definition levels say", column: decoder.column.name)
        }
        return valueIndex - 1
    }

    /// A repeated column (list element, map key or value): walks the entries of the next row (the first has
    /// repetition level 0, the others above 0; a row may continue on the next page), calling `body` with each
    /// entry's definition and repetition levels, the page's values and the entry's value index (nil below the
    /// maximum definition level).
    mutating func nextRow(_ body: (_ level: Int, _ repetition: Int, _ values: ParquetValues, _ index: Int?) throws -> Void) throws {
        var first = true
        while true {
            if row >= decoder.pageRows {
                if !first, decoder.exhausted { return }
                guard try loadPage() else {
                    if !first { return }
                    throw ParquetPageFailure(page: decoder.page, offset: decoder.chunkOffset,
                                             detail: "the column chunk holds fewer rows than its row group", column: decoder.column.name)
                }
                continue
            }
            guard row < decoder.repetitions.count else {
                throw ParquetPageFailure(page: decoder.page - 1, offset: decoder.chunkOffset,
                                         detail: "a page of a repeated column has no repetition levels", column: decoder.column.name)
            }
            let repetition = decoder.repetitions[row]
            if !first, repetition == 0 { return }
            if first, repetition != 0 {
                throw ParquetPageFailure(page: decoder.page - 1, offset: decoder.chunkOffset,
                                         detail: "a row starts with repetition level \(repetition)", column: decoder.column.name)
            }
            first = false
            level = Int(decoder.definitions[row])
            row += 1
            var index: Int? = nil
            if level == decoder.column.maxDefinition {
                valueIndex += 1
                guard valueIndex <= decoder.valueCount else {
                    throw ParquetPageFailure(page: decoder.page - 1, offset: decoder.chunkOffset,
                                             detail: "a page holds fewer values than its definition levels say", column: decoder.column.name)
                }
                index = valueIndex - 1
            }
            try body(level, Int(repetition), decoder.values, index)
        }
    }
}
