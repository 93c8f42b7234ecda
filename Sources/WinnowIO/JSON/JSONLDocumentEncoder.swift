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
        out.append(UInt8(ascii: "{"))
        JSONWriter.appendString(idField, to: &out)
        out.append(UInt8(ascii: ":"))
        JSONWriter.appendString(document.id, to: &out)
        out.append(UInt8(ascii: ","))
        JSONWriter.appendString(textField, to: &out)
        out.append(UInt8(ascii: ":"))
        document.text.withUnsafeBytes { JSONWriter.appendString(utf8: $0, to: &out) }
        for entry in document.metadata where entry.key != idField && entry.key != textField {
            out.append(UInt8(ascii: ","))
            JSONWriter.appendString(entry.key, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONWriter.append(entry.value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        out.append(UInt8(ascii: "\n"))
    }
}
