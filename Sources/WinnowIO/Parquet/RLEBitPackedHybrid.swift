/// Parquet's RLE/bit-packed hybrid encoding, used for definition/repetition levels, dictionary indices
/// and RLE booleans: a sequence of runs, each a ULEB128 header whose low bit says bit-packed (1: groups of 8
/// values, `bitWidth` bits each, least significant bit first) or repeated (0: one value in
/// ceil(bitWidth/8) little-endian bytes, repeated `header >> 1` times).
enum RLEBitPackedHybrid {
    /// Decodes `count` values from `data` into `output` (appended). Throws when the data ends first or a
    /// run header is malformed.
    static func decode(_ data: UnsafeRawBufferPointer, bitWidth: Int, count: Int, into output: inout [UInt32]) throws {
        guard bitWidth >= 0 && bitWidth <= 32 else { throw ParquetFormatError("RLE bit width \(bitWidth) is out of range") }
        output.reserveCapacity(output.count + count)
        if bitWidth == 0 {
            output.append(contentsOf: repeatElement(0, count: count))
            return
        }
        var position = 0
        var remaining = count
        let valueBytes = (bitWidth + 7) / 8
        while remaining > 0 {
            let header = try readULEB128(data, at: &position)
            if header & 1 == 1 {
                guard header >> 1 <= UInt64(data.count) else {
                    throw ParquetFormatError("bit-packed run of \(header >> 1) groups is longer than its data")
                }
                let groups = Int(header >> 1)
                let values = groups * 8
                let bytes = groups * bitWidth
                guard position + (min(values, remaining) * bitWidth + 7) / 8 <= data.count else {
                    throw ParquetFormatError("bit-packed run runs past its data")
                }
                let take = min(values, remaining)
                BitUnpacker.unpack(data, bitOffset: position * 8, bitWidth: bitWidth, count: take, into: &output)
                position += bytes
                remaining -= take
            } else {
                let runLength = Int(truncatingIfNeeded: header >> 1)
                guard runLength > 0, position + valueBytes <= data.count else {
                    throw ParquetFormatError("RLE run header is malformed or runs past its data")
                }
                var value: UInt32 = 0
                for i in 0..<valueBytes { value |= UInt32(data[position + i]) << (8 * UInt32(i)) }
                position += valueBytes
                let take = min(runLength, remaining)
                output.append(contentsOf: repeatElement(value, count: take))
                remaining -= take
            }
        }
    }

    /// Encodes `values` (each below 2^bitWidth) as repeated runs only: compact for definition levels, which
    /// come in long runs, and valid for any input.
    static func encodeRuns(_ values: [UInt8], bitWidth: Int, appendingTo output: inout [UInt8]) {
        let valueBytes = (bitWidth + 7) / 8
        var i = 0
        while i < values.count {
            var j = i + 1
            while j < values.count && values[j] == values[i] { j += 1 }
            var header = UInt64(j - i) << 1
            while header >= 0x80 {
                output.append(UInt8(header & 0x7f) | 0x80)
                header >>= 7
            }
            output.append(UInt8(header))
            for b in 0..<valueBytes { output.append(b == 0 ? values[i] : 0) }
            i = j
        }
    }

    static func readULEB128(_ data: UnsafeRawBufferPointer, at position: inout Int) throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < data.count else { throw ParquetFormatError("encoded values end inside a varint") }
            let b = data[position]
            position += 1
            result |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            guard shift < 64 else { throw ParquetFormatError("varint longer than 10 bytes") }
        }
    }
}

/// Unpacks little-endian bit-packed values (LSB first), as Parquet's bit-packed runs and
/// DELTA_BINARY_PACKED miniblocks store them.
enum BitUnpacker {
    /// Appends `count` values of `bitWidth` bits (1...32) starting at `bitOffset`. Bits past the end of
    /// `data` read as zero (the caller checks that the run fits).
    @inline(__always)
    static func unpack(_ data: UnsafeRawBufferPointer, bitOffset: Int, bitWidth: Int, count: Int, into output: inout [UInt32]) {
        let mask: UInt64 = bitWidth >= 64 ? .max : (1 << UInt64(bitWidth)) - 1
        var bit = bitOffset
        for _ in 0..<count {
            output.append(UInt32(truncatingIfNeeded: (load64(data, byte: bit >> 3) >> UInt64(bit & 7)) & mask))
            bit += bitWidth
        }
    }

    /// Like `unpack` for widths up to 64 bits.
    static func unpack64(_ data: UnsafeRawBufferPointer, bitOffset: Int, bitWidth: Int, count: Int, into output: inout [UInt64]) {
        let mask: UInt64 = bitWidth >= 64 ? .max : (1 << UInt64(bitWidth)) - 1
        var bit = bitOffset
        for _ in 0..<count {
            let shift = UInt64(bit & 7)
            var v = load64(data, byte: bit >> 3) >> shift
            if shift > 0 && bitWidth + Int(shift) > 64 {
                let byteIndex = (bit >> 3) + 8
                let extra = byteIndex < data.count ? UInt64(data[byteIndex]) : 0
                v |= extra << (64 - shift)
            }
            output.append(v & mask)
            bit += bitWidth
        }
    }

    /// Eight little-endian bytes from `byte`, zero past the end.
    @inline(__always)
    static func load64(_ data: UnsafeRawBufferPointer, byte: Int) -> UInt64 {
        if byte + 8 <= data.count {
            return UInt64(littleEndian: data.loadUnaligned(fromByteOffset: byte, as: UInt64.self))
        }
        var v: UInt64 = 0
        var i = 0
        while byte + i < data.count && i < 8 {
            v |= UInt64(data[byte + i]) << (8 * UInt64(i))
            i += 1
        }
        return v
    }
}
