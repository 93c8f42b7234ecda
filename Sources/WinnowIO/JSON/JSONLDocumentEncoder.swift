import Glibc
import WinnowCore

/// Writes a `Document` as one JSONL line: `{"id":...,"text":...,<metadata fields>}` and a newline.
/// Metadata fields sit at the top level, as they came from the input, so that reading the output back
/// gives the same document; a metadata field named like the id or text field is not written twice.
public struct JSONLDocumentEncoder: Sendable {
    public var textField: String
    public var idField: String

    public init(textField: String = "text", idField: String = "id") {
        self.textField = textField
        self.idField = idField
    }

    public func append(_ document: Document, to out: inout [UInt8]) {
        appendHead(document, to: &out)
        document.text.withUnsafeBytes { JSONWriter.appendString(utf8: $0, to: &out) }
        appendTail(document, to: &out)
        out.append(UInt8(ascii: "\n"))
    }

    /// `{"id":<id>,"text":`
    private func appendHead(_ document: Document, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        JSONWriter.appendString(idField, to: &out)
        out.append(UInt8(ascii: ":"))
        JSONWriter.appendString(document.id, to: &out)
        out.append(UInt8(ascii: ","))
        JSONWriter.appendString(textField, to: &out)
        out.append(UInt8(ascii: ":"))
    }

    /// The metadata fields and `}`.
    private func appendTail(_ document: Document, to out: inout [UInt8]) {
        for entry in document.metadata where entry.key != idField && entry.key != textField {
            out.append(UInt8(ascii: ","))
            JSONWriter.appendString(entry.key, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONWriter.append(entry.value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// Whether `line` is exactly what `append` writes for `document`, newline aside, given that `document`'s
    /// text is the one decoded from `line` (the caller's promise): then a writer may copy the line instead of
    /// encoding the document again. The text's bytes need no look when the decoder found them verbatim; the
    /// id and metadata are encoded into `scratch` (reused) and compared with the rest of the line.
    public func isEncoding(of document: Document, line: JSONLSourceLine, scratch: inout [UInt8]) -> Bool {
        guard let text = line.verbatimText, let base = line.bytes.baseAddress else { return false }
        scratch.removeAll(keepingCapacity: true)
        appendHead(document, to: &scratch)
        guard text.lowerBound == scratch.count,
              scratch.withUnsafeBytes({ memcmp(base, $0.baseAddress!, $0.count) }) == 0 else { return false }
        scratch.removeAll(keepingCapacity: true)
        appendTail(document, to: &scratch)
        return line.bytes.count - text.upperBound == scratch.count
            && scratch.withUnsafeBytes { memcmp(base + text.upperBound, $0.baseAddress!, $0.count) } == 0
    }
}

/// A JSONL input line as read (`JSONLReader.read(file:stats:problem:emitWithLine:)`), for writing its
/// document back unchanged without encoding it again (`JSONLWriter.write(_:sourceLine:)`).
public struct JSONLSourceLine {
    /// The line without its newline and byte order mark, valid only during the reader's call.
    public var bytes: UnsafeRawBufferPointer
    /// Where the text's JSON string (quotes included) sits in `bytes` when its bytes are exactly what
    /// `JSONWriter` writes for the decoded text (`JSONLDocumentDecoder.verbatimText`), else nil.
    public var verbatimText: Range<Int>?

    public init(bytes: UnsafeRawBufferPointer, verbatimText: Range<Int>?) {
        self.bytes = bytes
        self.verbatimText = verbatimText
    }
}
