import WinnowCore

/// The head of an HTTP response stored in a WARC `response` record.
struct HTTPResponse {
    /// The status code, nil when the status line has none.
    var status: Int?
    /// Header fields with names as sent, in order; a repeated field (names compared ignoring case) is
    /// appended to the first one's value after `, `.
    var headers: JSONObject
    var contentType: String?
    var transferEncoding: String?
    var contentEncoding: String?
    /// Where the body starts in the block.
    var bodyStart: Int
}

/// Parses the status line and header fields of an HTTP/1.x response, on bytes. LF-only line ends and
/// folded (obsolete multi-line) field values are accepted.
enum HTTPResponseParser {
    /// Parses `block`; nil when it does not start with `HTTP/`.
    static func parse(_ block: UnsafeRawBufferPointer) -> HTTPResponse? {
        guard ASCIIBytes.hasPrefix(block, httpPrefix) else { return nil }
        var response = HTTPResponse(status: nil, headers: JSONObject(), bodyStart: block.count)
        let firstLineEnd = ASCIIBytes.index(of: 0x0A, in: block) ?? block.count
        response.status = statusCode(UnsafeRawBufferPointer(rebasing: block[..<firstLineEnd]))

        var lowercasedNames: [String] = []
        var position = firstLineEnd + 1
        while position < block.count {
            let lineEnd = ASCIIBytes.index(of: 0x0A, in: block, from: position) ?? block.count
            let line = ASCIIBytes.droppingCR(UnsafeRawBufferPointer(rebasing: block[position..<lineEnd]))
            position = lineEnd + 1
            if line.isEmpty {
                response.bodyStart = min(position, block.count)
                return response
            }
            if ASCIIBytes.isSpaceOrTab(line[0]) {
                // Folded continuation of the previous field.
                let more = ASCIIBytes.trimmed(line)
                if let last = response.headers.entries.indices.last, !more.isEmpty,
                   case .string(let value) = response.headers.entries[last].value {
                    let key = response.headers.entries[last].key
                    response.headers[key] = .string(value + " " + ASCIIBytes.string(more))
                }
                continue
            }
            guard let colon = ASCIIBytes.index(of: UInt8(ascii: ":"), in: line) else { continue }
            let nameBytes = ASCIIBytes.trimmed(UnsafeRawBufferPointer(rebasing: line[..<colon]))
            guard !nameBytes.isEmpty else { continue }
            let valueBytes = ASCIIBytes.trimmed(UnsafeRawBufferPointer(rebasing: line[(colon + 1)...]))
            let name = ASCIIBytes.string(nameBytes)
            let value = ASCIIBytes.string(valueBytes)
            let lowercasedName = name.lowercased()
            if let existing = lowercasedNames.firstIndex(of: lowercasedName) {
                let key = response.headers.entries[existing].key
                let previous = response.headers.entries[existing].value.stringValue ?? ""
                response.headers[key] = .string(previous + ", " + value)
            } else {
                lowercasedNames.append(lowercasedName)
                response.headers.append(key: name, value: .string(value))
            }
            switch lowercasedName {
            case "content-type": response.contentType = response.contentType ?? value
            case "transfer-encoding": response.transferEncoding = value
            case "content-encoding": response.contentEncoding = value
            default: break
            }
        }
        return response
    }

    /// The three digits after the first space of a status line.
    static func statusCode(_ line: UnsafeRawBufferPointer) -> Int? {
        guard let space = ASCIIBytes.index(of: 0x20, in: line) else { return nil }
        var i = space
        while i < line.count && line[i] == 0x20 { i += 1 }
        var code = 0
        var digits = 0
        while i < line.count, line[i] &- 0x30 < 10, digits < 3 {
            code = code * 10 + Int(line[i] &- 0x30)
            digits += 1
            i += 1
        }
        return digits == 3 ? code : nil
    }

    /// Decodes a `Transfer-Encoding: chunked` body; nil when it is not well-formed chunked data.
    /// A missing last chunk (body cut short) keeps what was received.
    static func dechunk(_ body: UnsafeRawBufferPointer) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(body.count)
        var position = 0
        while position < body.count {
            guard let lineEnd = ASCIIBytes.index(of: 0x0A, in: body, from: position) else { return nil }
            var size = 0
            var digits = 0
            var i = position
            while i < lineEnd, let digit = hexValue(body[i]) {
                guard size < (1 << 40) else { return nil }
                size = size * 16 + digit
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            position = lineEnd + 1
            if size == 0 { return output }
            let chunkEnd = position + size
            guard chunkEnd <= body.count else {
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: body[position...]))
                return output
            }
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: body[position..<chunkEnd]))
            position = chunkEnd
            if position < body.count && body[position] == 0x0D { position += 1 }
            if position < body.count && body[position] == 0x0A { position += 1 }
        }
        return output
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: Int(byte - 0x30)
        case 0x41...0x46: Int(byte - 0x41 + 10)
        case 0x61...0x66: Int(byte - 0x61 + 10)
        default: nil
        }
    }

    static let httpPrefix = Array("HTTP/".utf8)
}
