import WinnowCore

/// Parses JSON texts (RFC 8259) from UTF-8 bytes. See `JSONScanner` for the details; this is the public
/// entry point for whole values.
public enum JSONParser {
    /// Parses one complete JSON value; anything but whitespace after it is an error.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        var scanner = JSONScanner(bytes)
        let value = try scanner.parseValue()
        try scanner.expectEnd()
        return value
    }

    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBytes { buffer in
            do throws(JSONParseError) { return .success(try parse(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}
