/// The decoded non-null values of one column chunk (or a dictionary), by physical type. Byte arrays are one
/// buffer plus offsets, so a chunk of a million strings is two allocations.
enum ParquetValues: Sendable {
    case boolean([Bool])
    case int32([Int32])
    case int64([Int64])
    /// INT96 legacy timestamps: nanoseconds since the Unix epoch.
    case int96([Int64])
    case float([Float])
    case double([Double])
    case bytes(ParquetByteArrays)

    static func empty(_ type: ParquetPhysicalType) -> ParquetValues {
        switch type {
        case .boolean: .boolean([])
        case .int32: .int32([])
        case .int64: .int64([])
        case .int96: .int96([])
        case .float: .float([])
        case .double: .double([])
        case .byteArray, .fixedLenByteArray: .bytes(ParquetByteArrays())
        }
    }

    /// Empties the values, keeping their storage for the next page.
    mutating func removeAll() {
        switch self {
        case .boolean(var v): self = .int32([]); v.removeAll(keepingCapacity: true); self = .boolean(v)
        case .int32(var v): self = .boolean([]); v.removeAll(keepingCapacity: true); self = .int32(v)
        case .int64(var v): self = .boolean([]); v.removeAll(keepingCapacity: true); self = .int64(v)
        case .int96(var v): self = .boolean([]); v.removeAll(keepingCapacity: true); self = .int96(v)
        case .float(var v): self = .boolean([]); v.removeAll(keepingCapacity: true); self = .float(v)
        case .double(var v): self = .boolean([]); v.removeAll(keepingCapacity: true); self = .double(v)
        case .bytes(var v): self = .boolean([]); v.removeAll(); self = .bytes(v)
        }
    }

    var count: Int {
        switch self {
        case .boolean(let v): v.count
        case .int32(let v): v.count
        case .int64(let v), .int96(let v): v.count
        case .float(let v): v.count
        case .double(let v): v.count
        case .bytes(let v): v.count
        }
    }
}

/// Variable-length values: value `i` is `data[starts[i]..<ends[i]]`. Values appended one by one lie end to
/// end; a decoded PLAIN page becomes `data` as it is (`adoptPlainPage`), its values between their length
/// prefixes, so the page's bytes are not copied again.
struct ParquetByteArrays: Sendable {
    var data: [UInt8] = []
    var starts: [Int] = []
    var ends: [Int] = []

    var count: Int { starts.count }

    /// Forgets the values. `data` keeps its bytes (and its size) until the next `append`: the decoder reuses
    /// it as a page buffer without filling it again.
    mutating func removeAll() {
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if starts.isEmpty { data.removeAll(keepingCapacity: true) }
        starts.append(data.count)
        data.append(contentsOf: bytes)
        ends.append(data.count)
    }

    func withValue<R>(_ i: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try data.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[starts[i]..<ends[i]])) }
    }

    /// Takes `page` (a decoded page whose bytes `valuesStart..<valuesEnd` are `count` PLAIN byte arrays, each
    /// after its 4-byte length) as `data`, with no copy; `page` gets the old `data` back, for reuse. The
    /// values must be empty.
    mutating func adoptPlainPage(_ page: inout [UInt8], valuesStart: Int, valuesEnd: Int, count: Int) throws {
        precondition(starts.isEmpty && valuesEnd <= page.count)
        starts.reserveCapacity(count)
        ends.reserveCapacity(count)
        // On a failure no value is left pointing into `page` (which stays with the caller).
        do { try indexPlain(page, valuesStart: valuesStart, valuesEnd: valuesEnd, count: count) } catch { removeAll(); throw error }
        swap(&data, &page)
    }

    private mutating func indexPlain(_ page: [UInt8], valuesStart: Int, valuesEnd: Int, count: Int) throws {
        try page.withUnsafeBytes { raw in
            var position = valuesStart
            for _ in 0..<count {
                guard position + 4 <= valuesEnd else { throw ParquetFormatError("PLAIN byte array page ends early") }
                let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                position += 4
                guard length <= valuesEnd - position else { throw ParquetFormatError("PLAIN byte array of \(length) bytes runs past the page") }
                starts.append(position)
                position += length
                ends.append(position)
            }
        }
    }
}

/// Decoders for Parquet's value encodings: PLAIN, DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY,
/// DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT and RLE booleans (dictionary indices are RLE/bit-packed hybrid,
/// decoded by the caller). Each appends `count` values to `values` and throws on data that ends early.
enum ParquetValueDecoder {
    static func decode(_ data: UnsafeRawBufferPointer, encoding: Int32, type: ParquetPhysicalType, typeLength: Int,
                       count: Int, into values: inout ParquetValues) throws {
        switch encoding {
        case ParquetEncoding.plain:
            try decodePlain(data, type: type, typeLength: typeLength, count: count, into: &values)
        case ParquetEncoding.deltaBinaryPacked:
            var position = 0
            var decoded: [Int64] = []
            try decodeDeltaBinaryPacked(data, position: &position, count: count, into: &decoded)
            switch values {
            case .int32(var v):
                values = .int32([])
                v.append(contentsOf: decoded.lazy.map { Int32(truncatingIfNeeded: $0) })
                values = .int32(v)
            case .int64(var v):
                values = .int64([])
                v.append(contentsOf: decoded)
                values = .int64(v)
            default: throw ParquetFormatError("DELTA_BINARY_PACKED on a \(type) column")
            }
        case ParquetEncoding.deltaLengthByteArray:
            guard case .bytes(var v) = values else { throw ParquetFormatError("DELTA_LENGTH_BYTE_ARRAY on a \(type) column") }
            values = .int32([])
            var position = 0
            try decodeDeltaLength(data, position: &position, count: count, into: &v)
            values = .bytes(v)
        case ParquetEncoding.deltaByteArray:
            guard case .bytes(var v) = values else { throw ParquetFormatError("DELTA_BYTE_ARRAY on a \(type) column") }
            values = .int32([])
            try decodeDeltaByteArray(data, count: count, into: &v)
            values = .bytes(v)
        case ParquetEncoding.rle:
            guard case .boolean(var v) = values else { throw ParquetFormatError("RLE values on a \(type) column") }
            guard data.count >= 4 else { throw ParquetFormatError("RLE boolean page without its length prefix") }
            let length = Int(data.loadUnaligned(as: UInt32.self).littleEndian)
            guard length <= data.count - 4 else { throw ParquetFormatError("RLE boolean run length runs past the page") }
            var bits: [UInt32] = []
            try RLEBitPackedHybrid.decode(UnsafeRawBufferPointer(rebasing: data[4..<4 + length]), bitWidth: 1, count: count, into: &bits)
            values = .int32([])
            v.append(contentsOf: bits.lazy.map { $0 != 0 })
            values = .boolean(v)
        case ParquetEncoding.byteStreamSplit:
            try decodeByteStreamSplit(data, type: type, count: count, into: &values)
        default:
            throw ParquetFormatError("value encoding \(encoding) is not supported")
        }
    }

    static func decodePlain(_ data: UnsafeRawBufferPointer, type: ParquetPhysicalType, typeLength: Int, count: Int,
                            into values: inout ParquetValues) throws {
        func need(_ bytes: Int) throws {
            guard bytes <= data.count else {
                throw ParquetFormatError("PLAIN page holds \(data.count) bytes, \(count) \(type) values need \(bytes)")
            }
        }
        // The count comes from a page header: bound it by the page's bytes before it sizes any buffer.
        guard count >= 0 else { throw ParquetFormatError("page header gives \(count) values") }
        switch values {
        case .boolean(var v):
            try need((count + 7) / 8)
            values = .int32([])
            v.reserveCapacity(v.count + count)
            for i in 0..<count { v.append(data[i >> 3] >> UInt8(i & 7) & 1 != 0) }
            values = .boolean(v)
        case .int32(var v):
            try need(count * 4)
            values = .int32([])
            v.reserveCapacity(v.count + count)
            for i in 0..<count { v.append(Int32(littleEndian: data.loadUnaligned(fromByteOffset: i * 4, as: Int32.self))) }
            values = .int32(v)
        case .int64(var v):
            try need(count * 8)
            values = .int32([])
            v.reserveCapacity(v.count + count)
            for i in 0..<count { v.append(Int64(littleEndian: data.loadUnaligned(fromByteOffset: i * 8, as: Int64.self))) }
            values = .int64(v)
        case .int96(var v):
            try need(count * 12)
            values = .int32([])
            for i in 0..<count {
                let nanos = Int64(littleEndian: data.loadUnaligned(fromByteOffset: i * 12, as: Int64.self))
                let julianDay = Int64(UInt32(littleEndian: data.loadUnaligned(fromByteOffset: i * 12 + 8, as: UInt32.self)))
                v.append((julianDay - 2_440_588) &* 86_400_000_000_000 &+ nanos)
            }
            values = .int96(v)
        case .float(var v):
            try need(count * 4)
            values = .int32([])
            for i in 0..<count { v.append(Float(bitPattern: UInt32(littleEndian: data.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))) }
            values = .float(v)
        case .double(var v):
            try need(count * 8)
            values = .int32([])
            for i in 0..<count { v.append(Double(bitPattern: UInt64(littleEndian: data.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))) }
            values = .double(v)
        case .bytes(var v):
            if type == .fixedLenByteArray {
                guard typeLength > 0 else { throw ParquetFormatError("FIXED_LEN_BYTE_ARRAY of length \(typeLength)") }
                try need(count * typeLength)
            } else {
                try need(count * 4)  // each value has a 4-byte length prefix
            }
            values = .int32([])
            v.starts.reserveCapacity(v.starts.count + count)
            v.ends.reserveCapacity(v.ends.count + count)
            if type == .fixedLenByteArray {
                for i in 0..<count { v.append(UnsafeRawBufferPointer(rebasing: data[i * typeLength..<(i + 1) * typeLength])) }
            } else {
                // Geometric growth: pages append one after another, and exact reservations would copy the
                // whole chunk's bytes again for every page.
                if v.starts.isEmpty { v.data.removeAll(keepingCapacity: true) }
                if v.data.capacity < v.data.count + data.count {
                    v.data.reserveCapacity(max(v.data.count + data.count, v.data.capacity * 2))
                }
                var position = 0
                for _ in 0..<count {
                    guard position + 4 <= data.count else { throw ParquetFormatError("PLAIN byte array page ends early") }
                    let length = Int(UInt32(littleEndian: data.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                    position += 4
                    guard length <= data.count - position else { throw ParquetFormatError("PLAIN byte array of \(length) bytes runs past the page") }
                    v.append(UnsafeRawBufferPointer(rebasing: data[position..<position + length]))
                    position += length
                }
            }
            values = .bytes(v)
        }
    }

    /// DELTA_BINARY_PACKED: a header (block size, miniblocks per block, total count, first value), then
    /// blocks of (min delta, miniblock bit widths, bit-packed miniblocks). Leaves `position` after the data.
    static func decodeDeltaBinaryPacked(_ data: UnsafeRawBufferPointer, position: inout Int, count: Int, into output: inout [Int64]) throws {
        let blockSize = try RLEBitPackedHybrid.readULEB128(data, at: &position)
        let miniblocks = try RLEBitPackedHybrid.readULEB128(data, at: &position)
        let total = try RLEBitPackedHybrid.readULEB128(data, at: &position)
        let first = zigzag(try RLEBitPackedHybrid.readULEB128(data, at: &position))
        guard miniblocks > 0, blockSize > 0, blockSize % 128 == 0, blockSize % miniblocks == 0, (blockSize / miniblocks) % 32 == 0,
              blockSize <= 1 << 20 else {
            throw ParquetFormatError("DELTA_BINARY_PACKED header is malformed (block \(blockSize), miniblocks \(miniblocks))")
        }
        guard total >= UInt64(count), total <= UInt64(data.count) * 64 + 1 else {
            throw ParquetFormatError("DELTA_BINARY_PACKED holds \(total) values, the page needs \(count)")
        }
        let perMiniblock = Int(blockSize / miniblocks)
        let start = output.count
        var remaining = Int(total)
        output.reserveCapacity(output.count + remaining)
        if remaining == 0 { return }
        var last = first
        output.append(first)
        remaining -= 1
        var deltas: [UInt64] = []
        deltas.reserveCapacity(perMiniblock)
        while remaining > 0 {
            let minDelta = zigzag(try RLEBitPackedHybrid.readULEB128(data, at: &position))
            let widthsStart = position
            guard position + Int(miniblocks) <= data.count else { throw ParquetFormatError("DELTA_BINARY_PACKED block ends early") }
            position += Int(miniblocks)
            for m in 0..<Int(miniblocks) where remaining > 0 {
                let width = Int(data[widthsStart + m])
                guard width <= 64 else { throw ParquetFormatError("DELTA_BINARY_PACKED bit width \(width)") }
                let bytes = perMiniblock * width / 8
                let take = min(perMiniblock, remaining)
                guard position + (take * width + 7) / 8 <= data.count else {
                    throw ParquetFormatError("DELTA_BINARY_PACKED miniblock runs past its data")
                }
                deltas.removeAll(keepingCapacity: true)
                if width == 0 {
                    deltas.append(contentsOf: repeatElement(0, count: take))
                } else {
                    BitUnpacker.unpack64(data, bitOffset: position * 8, bitWidth: width, count: take, into: &deltas)
                }
                for d in deltas {
                    last = last &+ minDelta &+ Int64(bitPattern: d)
                    output.append(last)
                }
                position = min(position + bytes, data.count)
                remaining -= take
            }
        }
        if output.count - start > count { output.removeLast(output.count - start - count) }
    }

    static func zigzag(_ v: UInt64) -> Int64 { Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1))) }

    /// DELTA_LENGTH_BYTE_ARRAY: the lengths DELTA_BINARY_PACKED, then the bytes end to end.
    static func decodeDeltaLength(_ data: UnsafeRawBufferPointer, position: inout Int, count: Int, into v: inout ParquetByteArrays) throws {
        var lengths: [Int64] = []
        try decodeDeltaBinaryPacked(data, position: &position, count: count, into: &lengths)
        v.starts.reserveCapacity(v.starts.count + count)
        v.ends.reserveCapacity(v.ends.count + count)
        for length in lengths.prefix(count) {
            guard length >= 0, length <= Int64(data.count - position) else {
                throw ParquetFormatError("DELTA_LENGTH_BYTE_ARRAY value of \(length) bytes runs past the page")
            }
            v.append(UnsafeRawBufferPointer(rebasing: data[position..<position + Int(length)]))
            position += Int(length)
        }
    }

    /// DELTA_BYTE_ARRAY: prefix lengths (DELTA_BINARY_PACKED), then suffixes (DELTA_LENGTH_BYTE_ARRAY);
    /// each value is the previous value's prefix followed by its suffix.
    static func decodeDeltaByteArray(_ data: UnsafeRawBufferPointer, count: Int, into v: inout ParquetByteArrays) throws {
        var position = 0
        var prefixes: [Int64] = []
        try decodeDeltaBinaryPacked(data, position: &position, count: count, into: &prefixes)
        var suffixes = ParquetByteArrays()
        try decodeDeltaLength(data, position: &position, count: count, into: &suffixes)
        var previous: [UInt8] = []
        var current: [UInt8] = []
        for i in 0..<count {
            let prefix = prefixes[i]
            guard prefix >= 0, prefix <= Int64(previous.count) else {
                throw ParquetFormatError("DELTA_BYTE_ARRAY prefix of \(prefix) bytes is longer than the previous value")
            }
            current.removeAll(keepingCapacity: true)
            current.append(contentsOf: previous[0..<Int(prefix)])
            current.append(contentsOf: suffixes.data[suffixes.starts[i]..<suffixes.ends[i]])
            current.withUnsafeBytes { v.append($0) }
            swap(&previous, &current)
        }
    }

    /// BYTE_STREAM_SPLIT (floats, doubles, fixed-width): byte k of every value is in stream k.
    static func decodeByteStreamSplit(_ data: UnsafeRawBufferPointer, type: ParquetPhysicalType, count: Int, into values: inout ParquetValues) throws {
        let width: Int
        switch type {
        case .float, .int32: width = 4
        case .double, .int64: width = 8
        default: throw ParquetFormatError("BYTE_STREAM_SPLIT on a \(type) column is not supported")
        }
        guard data.count >= width * count else { throw ParquetFormatError("BYTE_STREAM_SPLIT page ends early") }
        let streamLength = data.count / width
        var joined = [UInt8](repeating: 0, count: count * width)
        for i in 0..<count {
            for k in 0..<width { joined[i * width + k] = data[k * streamLength + i] }
        }
        try joined.withUnsafeBytes { try decodePlain($0, type: type, typeLength: width, count: count, into: &values) }
    }
}
