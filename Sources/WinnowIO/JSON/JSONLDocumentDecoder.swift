import WinnowCore

/// Turns one JSONL line into a `Document`: the text field becomes `text` (bytes, unescaped once, never
/// through `String`), the id field becomes `id`, every other field is kept in `metadata` in line order.
public struct JSONLDocumentDecoder {
    public enum Failure: Error, Equatable {
        case malformed(JSONParseError)
        case notAnObject
        case missingText
    }

    private let textKey: [UInt8]
    private let idKey: [UInt8]
    private var keyBuffer: [UInt8] = []
    /// Key strings of recent lines by field position: JSONL lines repeat their keys in the same order, so
    /// most keys are found here instead of being made into a new `String`.
    private var keyCache: [(bytes: [UInt8], string: String)] = []
    /// Where the text's JSON string (quotes included) sits in the last line decoded, when its bytes are
    /// exactly what `JSONWriter` writes for the decoded text (no `\/` or `\u` escape, nothing repaired);
    /// nil otherwise. Lets a writer copy the text's bytes instead of escaping the text again.
    public private(set) var verbatimText: Range<Int>?

    public init(textField: String = "text", idField: String = "id") {
        textKey = Array(textField.utf8)
        idKey = Array(idField.utf8)
        keyBuffer.reserveCapacity(64)
    }

    /// Decodes a line. `replacements` is increased by the number of invalid UTF-8 sequences and lone
    /// surrogates replaced with U+FFFD. A missing id is left empty for the caller to derive.
    public mutating func decode(_ line: UnsafeRawBufferPointer, replacements: inout Int) throws(Failure) -> Document {
        var scanner = JSONScanner(line)
        verbatimText = nil
        do {
            let document = try decodeObject(&scanner)
            try scanner.expectEnd()
            replacements += scanner.replacements
            guard let document else { throw Failure.missingText }
            return document
        } catch let error as JSONParseError {
            throw .malformed(error)
        } catch let error as Failure {
            throw error
        } catch {
            fatalError("unreachable")
        }
    }

    /// The `String` for the key in `keyBuffer`, from the cache when the field at `position` had the same key.
    private mutating func cachedKey(position: Int) -> String {
        if position < keyCache.count, keyCache[position].bytes == keyBuffer { return keyCache[position].string }
        let string = String(decoding: keyBuffer, as: UTF8.self)
        if position < keyCache.count {
            keyCache[position] = (keyBuffer, string)
        } else if position == keyCache.count, position < 64 {
            keyCache.append((keyBuffer, string))
        }
        return string
    }

    private mutating func decodeObject(_ s: inout JSONScanner) throws -> Document? {
        s.skipWhitespace()
        guard !s.atEnd, s.peek() == UInt8(ascii: "{") else {
            if s.atEnd { throw JSONParseError(offset: s.position, message: "empty line") }
            throw Failure.notAnObject
        }
        s.position += 1
        var text: [UInt8]? = nil
        var id = ""
        var metadata = JSONObject()
        metadata.reserveCapacity(keyCache.count)  // as many fields as recent lines had
        var index: [String: Int]? = nil
        s.skipWhitespace()
        if !s.atEnd, s.peek() == UInt8(ascii: "}") {
            s.position += 1
            return nil
        }
        var fieldIndex = -1
        while true {
            fieldIndex += 1
            s.skipWhitespace()
            guard !s.atEnd, s.peek() == UInt8(ascii: "\"") else { throw s.fail("expected a string key") }
            keyBuffer.removeAll(keepingCapacity: true)
            try s.parseStringBytes(appendingTo: &keyBuffer)
            try s.expect(UInt8(ascii: ":"), "':'")
            s.skipWhitespace()
            if keyBuffer == textKey {
                if !s.atEnd, s.peek() == UInt8(ascii: "\"") {
                    let start = s.position, rewritten = s.rewrittenEscapes, replaced = s.replacements
                    text = try s.parseStringBytes(boundedByLine: true)
                    let verbatim = s.rewrittenEscapes == rewritten && s.replacements == replaced
                    verbatimText = verbatim ? start..<s.position : nil
                } else {
                    _ = try s.parseValue(depth: 1)  // a non-string text counts as missing
                    text = nil
                    verbatimText = nil
                }
            } else if keyBuffer == idKey {
                switch try s.parseValue(depth: 1) {
                case .string(let v): id = v
                case .number(let n): id = n.literal
                case let other: metadata.appendKeepingLast(key: String(decoding: keyBuffer, as: UTF8.self), value: other, index: &index)
                }
            } else {
                let key = cachedKey(position: fieldIndex)
                let value = try s.parseValue(depth: 1)
                metadata.appendKeepingLast(key: key, value: value, index: &index)
            }
            s.skipWhitespace()
            guard !s.atEnd else { throw s.fail("unexpected end in object") }
            let c = s.peek()
            s.position += 1
            if c == UInt8(ascii: ",") { continue }
            if c == UInt8(ascii: "}") { break }
            s.position -= 1
            throw s.fail("expected ',' or '}'")
        }
        guard let text else { return nil }
        return Document(id: id, text: text, metadata: metadata)
    }
}
