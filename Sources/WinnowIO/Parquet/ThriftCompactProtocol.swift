/// Apache Thrift's compact protocol, the encoding of Parquet's footer and page headers: just the parts
/// Parquet uses (structs, lists, integers as zigzag varints, binary, bool, double).

/// A malformed Parquet structure; `detail` says what and where.
public struct ParquetFormatError: Error, Sendable, CustomStringConvertible {
    public var detail: String
    public init(_ detail: String) { self.detail = detail }
    public var description: String { detail }
}

/// Thrift compact type ids (the low nibble of a field header).
enum ThriftType {
    static let boolTrue: UInt8 = 1
    static let boolFalse: UInt8 = 2
    static let byte: UInt8 = 3
    static let i16: UInt8 = 4
    static let i32: UInt8 = 5
    static let i64: UInt8 = 6
    static let double: UInt8 = 7
    static let binary: UInt8 = 8
    static let list: UInt8 = 9
    static let set: UInt8 = 10
    static let map: UInt8 = 11
    static let `struct`: UInt8 = 12
}

/// Reads compact-protocol values from `bytes[position..<end]`; every read checks bounds and throws
/// `ParquetFormatError` on truncated or malformed input.
struct ThriftCompactReader {
    let bytes: [UInt8]
    var position: Int
    let end: Int
    private var depth = 0

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        position = start
        self.end = min(end ?? bytes.count, bytes.count)
    }

    mutating func byte() throws -> UInt8 {
        guard position < end else { throw ParquetFormatError("thrift structure ends early at byte \(position)") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            result |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw ParquetFormatError("thrift varint longer than 10 bytes at byte \(position)") }
        }
    }

    mutating func i64() throws -> Int64 {
        let v = try varint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    mutating func i32() throws -> Int32 {
        let v = try i64()
        guard let r = Int32(exactly: v) else { throw ParquetFormatError("thrift i32 out of range at byte \(position)") }
        return r
    }

    mutating func double() throws -> Double {
        guard end - position >= 8 else { throw ParquetFormatError("thrift double ends early at byte \(position)") }
        var bits: UInt64 = 0
        for i in 0..<8 { bits |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
        position += 8
        return Double(bitPattern: bits)
    }

    mutating func binary() throws -> [UInt8] {
        let length = try varint()
        guard length <= UInt64(end - position) else {
            throw ParquetFormatError("thrift binary of \(length) bytes runs past the structure at byte \(position)")
        }
        defer { position += Int(length) }
        return Array(bytes[position..<position + Int(length)])
    }

    mutating func string() throws -> String {
        String(decoding: try binary(), as: UTF8.self)
    }

    /// A list or set header: element count and element type.
    mutating func listHeader() throws -> (count: Int, elementType: UInt8) {
        let b = try byte()
        var count = Int(b >> 4)
        if count == 15 {
            let n = try varint()
            guard n <= UInt64(end - position) else { throw ParquetFormatError("thrift list of \(n) elements is longer than its structure") }
            count = Int(n)
        }
        return (count, b & 0x0f)
    }

    /// Reads one struct, handing each field's id and type to `field`, which must consume the value (or
    /// call `skip`). Boolean fields carry their value in the type (`ThriftType.boolTrue`).
    mutating func readStruct(_ field: (inout ThriftCompactReader, Int16, UInt8) throws -> Void) throws {
        depth += 1
        defer { depth -= 1 }
        guard depth < 64 else { throw ParquetFormatError("thrift structures nested too deeply") }
        var lastID: Int16 = 0
        while true {
            let header = try byte()
            if header == 0 { return }
            let type = header & 0x0f
            let delta = Int16(header >> 4)
            let id: Int16
            if delta == 0 {
                let raw = try i64()
                guard let parsed = Int16(exactly: raw) else { throw ParquetFormatError("thrift field id out of range") }
                id = parsed
            } else {
                id = lastID &+ delta
            }
            lastID = id
            try field(&self, id, type)
        }
    }

    /// A list of structs, each read by `element`.
    mutating func readList<T>(_ element: (inout ThriftCompactReader) throws -> T) throws -> [T] {
        let (count, _) = try listHeader()
        var out: [T] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try element(&self)) }
        return out
    }

    /// Skips a value of `type`.
    mutating func skip(_ type: UInt8) throws {
        switch type {
        case ThriftType.boolTrue, ThriftType.boolFalse: return
        case ThriftType.byte: _ = try byte()
        case ThriftType.i16, ThriftType.i32, ThriftType.i64: _ = try varint()
        case ThriftType.double: _ = try double()
        case ThriftType.binary: _ = try binary()
        case ThriftType.list, ThriftType.set:
            depth += 1
            defer { depth -= 1 }
            guard depth < 64 else { throw ParquetFormatError("thrift structures nested too deeply") }
            let (count, element) = try listHeader()
            for _ in 0..<count {
                if element == ThriftType.boolTrue || element == ThriftType.boolFalse { _ = try byte() } else { try skip(element) }
            }
        case ThriftType.map:
            depth += 1
            defer { depth -= 1 }
            guard depth < 64 else { throw ParquetFormatError("thrift structures nested too deeply") }
            let count = try varint()
            guard count <= UInt64(end - position) else { throw ParquetFormatError("thrift map too long") }
            if count > 0 {
                let types = try byte()
                for _ in 0..<count {
                    try skip(types >> 4)
                    try skip(types & 0x0f)
                }
            }
        case ThriftType.struct:
            try readStruct { reader, _, fieldType in try reader.skip(fieldType) }
        default:
            throw ParquetFormatError("unknown thrift type \(type) at byte \(position)")
        }
    }
}

/// Writes compact-protocol structs: `beginStruct`, fields, `endStruct`.
struct ThriftCompactWriter {
    var bytes: [UInt8] = []
    private var lastIDs: [Int16] = [0]

    mutating func beginStruct() { lastIDs.append(0) }

    mutating func endStruct() {
        bytes.append(0)
        lastIDs.removeLast()
    }

    mutating func fieldHeader(_ id: Int16, _ type: UInt8) {
        let delta = id - lastIDs[lastIDs.count - 1]
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type)
        } else {
            bytes.append(type)
            writeZigzag(Int64(id))
        }
        lastIDs[lastIDs.count - 1] = id
    }

    mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7f) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func writeZigzag(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func i32(_ id: Int16, _ value: Int32) {
        fieldHeader(id, ThriftType.i32)
        writeZigzag(Int64(value))
    }

    mutating func i64(_ id: Int16, _ value: Int64) {
        fieldHeader(id, ThriftType.i64)
        writeZigzag(value)
    }

    mutating func bool(_ id: Int16, _ value: Bool) {
        fieldHeader(id, value ? ThriftType.boolTrue : ThriftType.boolFalse)
    }

    mutating func binary(_ id: Int16, _ value: [UInt8]) {
        fieldHeader(id, ThriftType.binary)
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ id: Int16, _ value: String) { binary(id, Array(value.utf8)) }

    /// A struct-valued field: the header, then `body` writes the fields.
    mutating func structField(_ id: Int16, _ body: (inout ThriftCompactWriter) -> Void) {
        fieldHeader(id, ThriftType.struct)
        beginStruct()
        body(&self)
        endStruct()
    }

    /// A list field header for `count` elements of `elementType`; the caller writes the elements.
    mutating func listField(_ id: Int16, count: Int, elementType: UInt8) {
        fieldHeader(id, ThriftType.list)
        if count < 15 {
            bytes.append(UInt8(count) << 4 | elementType)
        } else {
            bytes.append(0xf0 | elementType)
            writeVarint(UInt64(count))
        }
    }

    /// One struct element of a list.
    mutating func structElement(_ body: (inout ThriftCompactWriter) -> Void) {
        beginStruct()
        body(&self)
        endStruct()
    }
}
