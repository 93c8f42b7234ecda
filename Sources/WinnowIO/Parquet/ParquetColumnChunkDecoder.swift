import CZlib

/// A top-level, non-repeated leaf column of a file's schema: the columns Winnow reads.
struct ParquetLeafColumn: Sendable {
    var name: String
    /// Index among all leaf columns (the index into a row group's column chunks).
    var leafIndex: Int
    var type: ParquetPhysicalType
    var typeLength: Int
    var optional: Bool
    var logical: ParquetLogicalType?
}

/// The values of one column chunk: the non-null values in order, and per row whether it has one (nil
/// when the column is required).
struct ParquetColumnData: Sendable {
    var values: ParquetValues
    var defined: [Bool]?
}

/// Why a column chunk could not be decoded, and where: the page index and its byte offset in the file.
struct ParquetPageFailure: Error {
    var page: Int
    var offset: Int64
    var detail: String
}

/// Decodes one column chunk (its bytes already read from the file): dictionary page, data pages v1 and
/// v2, levels, value encodings, decompression, CRC checks.
struct ParquetColumnChunkDecoder {
    let column: ParquetLeafColumn
    let codec: ParquetCodec

    private var pageBuffer: [UInt8] = []
    private var levels: [UInt32] = []
    private var indices: [UInt32] = []

    init(column: ParquetLeafColumn, codec: ParquetCodec) {
        self.column = column
        self.codec = codec
    }

    /// Decodes `numValues` values (nulls included) from `chunk`, whose first byte is at `chunkOffset` in
    /// the file.
    mutating func decode(chunk: [UInt8], chunkOffset: Int64, numValues: Int) throws(ParquetPageFailure) -> ParquetColumnData {
        var values = ParquetValues.empty(column.type)
        var defined: [Bool]? = column.optional ? [] : nil
        defined?.reserveCapacity(numValues)
        var dictionary: ParquetValues?
        var position = 0
        var page = 0
        var seen = 0
        while seen < numValues {
            let pageStart = position
            do {
                guard position < chunk.count else {
                    throw ParquetFormatError("the column chunk ends after \(seen) of its \(numValues) values")
                }
                var reader = ThriftCompactReader(chunk, from: position)
                let header = try ParquetPageHeader(thrift: &reader)
                let dataStart = reader.position
                guard Int(header.compressedSize) <= chunk.count - dataStart else {
                    throw ParquetFormatError("page of \(header.compressedSize) bytes runs past the end of its column chunk")
                }
                let dataEnd = dataStart + Int(header.compressedSize)
                position = dataEnd
                try chunk.withUnsafeBytes { raw in
                    let data = UnsafeRawBufferPointer(rebasing: raw[dataStart..<dataEnd])
                    if let expected = header.crc {
                        let actual = UInt32(crc32(0, data.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt32(data.count)))
                        guard actual == expected else {
                            throw ParquetFormatError("page CRC mismatch (header \(expected), data \(actual))")
                        }
                    }
                    switch header.type {
                    case ParquetPageType.dictionaryPage:
                        try codec.decompress(data, size: Int(header.uncompressedSize), into: &pageBuffer)
                        var dict = ParquetValues.empty(column.type)
                        try pageBuffer.withUnsafeBytes {
                            try ParquetValueDecoder.decodePlain($0, type: column.type, typeLength: column.typeLength,
                                                               count: Int(header.numValues), into: &dict)
                        }
                        dictionary = dict
                    case ParquetPageType.dataPage:
                        try codec.decompress(data, size: Int(header.uncompressedSize), into: &pageBuffer)
                        try pageBuffer.withUnsafeBytes { page in
                            var valuesStart = 0
                            var present = Int(header.numValues)
                            if column.optional {
                                guard page.count >= 4 else { throw ParquetFormatError("data page too short for its definition levels") }
                                let length = Int(page.loadUnaligned(as: UInt32.self).littleEndian)
                                guard length <= page.count - 4 else { throw ParquetFormatError("definition levels run past the page") }
                                present = try appendLevels(UnsafeRawBufferPointer(rebasing: page[4..<4 + length]),
                                                           count: Int(header.numValues), to: &defined)
                                valuesStart = 4 + length
                            }
                            try decodeValues(UnsafeRawBufferPointer(rebasing: page[valuesStart...]), encoding: header.encoding,
                                             count: present, dictionary: dictionary, into: &values)
                        }
                        seen += Int(header.numValues)
                    case ParquetPageType.dataPageV2:
                        let repLength = Int(header.repetitionLevelsLength), defLength = Int(header.definitionLevelsLength)
                        guard repLength >= 0, defLength >= 0, repLength + defLength <= data.count,
                              repLength + defLength <= Int(header.uncompressedSize) else {
                            throw ParquetFormatError("page levels are longer than the page")
                        }
                        var present = Int(header.numValues)
                        if column.optional {
                            present = try appendLevels(UnsafeRawBufferPointer(rebasing: data[repLength..<repLength + defLength]),
                                                       count: Int(header.numValues), to: &defined)
                        }
                        let body = UnsafeRawBufferPointer(rebasing: data[(repLength + defLength)...])
                        if header.isCompressed && codec != .uncompressed {
                            try codec.decompress(body, size: Int(header.uncompressedSize) - repLength - defLength, into: &pageBuffer)
                            try pageBuffer.withUnsafeBytes {
                                try decodeValues($0, encoding: header.encoding, count: present, dictionary: dictionary, into: &values)
                            }
                        } else {
                            try decodeValues(body, encoding: header.encoding, count: present, dictionary: dictionary, into: &values)
                        }
                        seen += Int(header.numValues)
                    default:
                        break  // index pages and unknown page types carry no values
                    }
                }
            } catch let error as ParquetFormatError {
                throw ParquetPageFailure(page: page, offset: chunkOffset + Int64(pageStart), detail: error.detail)
            } catch {
                throw ParquetPageFailure(page: page, offset: chunkOffset + Int64(pageStart), detail: "\(error)")
            }
            page += 1
        }
        if seen != numValues || (defined?.count ?? numValues) != numValues {
            throw ParquetPageFailure(page: page, offset: chunkOffset + Int64(position),
                                     detail: "the column chunk holds \(seen) values, its metadata declares \(numValues)")
        }
        return ParquetColumnData(values: values, defined: defined)
    }

    /// Decodes definition levels (max level 1) and appends them as flags; returns how many are defined.
    private mutating func appendLevels(_ data: UnsafeRawBufferPointer, count: Int, to defined: inout [Bool]?) throws -> Int {
        levels.removeAll(keepingCapacity: true)
        try RLEBitPackedHybrid.decode(data, bitWidth: 1, count: count, into: &levels)
        var present = 0
        for level in levels {
            guard level <= 1 else { throw ParquetFormatError("definition level \(level) above the column's maximum 1") }
            present += Int(level)
            defined?.append(level == 1)
        }
        return present
    }

    private mutating func decodeValues(_ data: UnsafeRawBufferPointer, encoding: Int32, count: Int,
                                       dictionary: ParquetValues?, into values: inout ParquetValues) throws {
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
            v.offsets.reserveCapacity(v.offsets.count + indices.count)
            d.data.withUnsafeBytes { raw in
                for i in indices {
                    v.append(UnsafeRawBufferPointer(rebasing: raw[d.offsets[Int(i)]..<d.offsets[Int(i) + 1]]))
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
