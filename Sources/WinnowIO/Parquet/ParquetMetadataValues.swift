import WinnowCore
import WinnowText

/// Turns Parquet column values into document metadata: strings (UTF-8 repaired), integers (unsigned
/// logical types as unsigned), floats and doubles (non-finite ones become null), booleans, dates
/// (`YYYY-MM-DD`) and timestamps (ISO 8601 with the unit's fraction digits, `Z` when UTC-adjusted).
enum ParquetMetadataValues {
    static func value(_ values: ParquetValues, at i: Int, logical: ParquetLogicalType?, replacements: inout Int) -> JSONValue {
        switch values {
        case .boolean(let v): return .bool(v[i])
        case .int32(let v):
            switch logical {
            case .integer(_, false): return .number(JSONNumber(uncheckedLiteral: String(UInt32(bitPattern: v[i]))))
            case .date: return .string(isoDate(days: Int64(v[i])))
            default: return .number(JSONNumber(Int(v[i])))
            }
        case .int64(let v):
            switch logical {
            case .integer(_, false): return .number(JSONNumber(uncheckedLiteral: String(UInt64(bitPattern: v[i]))))
            case .timestamp(let unit, let utc): return .string(isoTimestamp(v[i], unit: unit, utc: utc))
            default: return .number(JSONNumber(Int(v[i])))
            }
        case .int96(let v): return .string(isoTimestamp(v[i], unit: 3, utc: true))
        case .float(let v): return v[i].isFinite ? .number(JSONNumber(Double(v[i]))) : .null
        case .double(let v): return v[i].isFinite ? .number(JSONNumber(v[i])) : .null
        case .bytes(let v): return .string(string(v, at: i, replacements: &replacements))
        }
    }

    /// Value `i` as a string, invalid UTF-8 replaced (and counted).
    static func string(_ v: ParquetByteArrays, at i: Int, replacements: inout Int) -> String {
        v.withValue(i) { raw in
            if UTF8Validation.isValid(raw) { return String(decoding: raw, as: UTF8.self) }
            var repaired: [UInt8] = []
            replacements += UTF8Validation.appendRepairing(raw, to: &repaired)
            return String(decoding: repaired, as: UTF8.self)
        }
    }

    /// Value `i` as UTF-8 bytes, invalid sequences replaced (and counted).
    static func bytes(_ v: ParquetByteArrays, at i: Int, replacements: inout Int) -> [UInt8] {
        v.withValue(i) { raw in
            if UTF8Validation.isValid(raw) { return Array(raw) }
            var repaired: [UInt8] = []
            replacements += UTF8Validation.appendRepairing(raw, to: &repaired)
            return repaired
        }
    }

    static func isoDate(days: Int64) -> String {
        let (y, m, d) = civil(days: days)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// `value` in `unit` (1 ms, 2 µs, 3 ns) since the epoch, as `YYYY-MM-DDTHH:MM:SS.fff[fff[fff]]` (+`Z`).
    static func isoTimestamp(_ value: Int64, unit: Int, utc: Bool) -> String {
        let perSecond: Int64 = unit == 1 ? 1_000 : unit == 2 ? 1_000_000 : 1_000_000_000
        let digits = unit == 1 ? 3 : unit == 2 ? 6 : 9
        var seconds = value / perSecond
        var fraction = value % perSecond
        if fraction < 0 {
            fraction += perSecond
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let time = "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(fraction, digits))"
        return isoDate(days: days) + "T" + time + (utc ? "Z" : "")
    }

    /// Howard Hinnant's days-from-civil inverse: days since 1970-01-01 to (year, month, day).
    static func civil(days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    private static func pad(_ n: Int64, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
