import WinnowHTML
import WinnowPII
import WinnowText
import WinnowTokenizer

/// Charset handling of a fetched page: the first line is the Content-Type header (or a charset label), the
/// rest the body. Sniffing, detection and decoding must all give valid UTF-8.
let charsetTarget = FuzzTarget(name: "charset", summary: "charset sniffing, detection and decoding (WinnowText)") { data in
    let (header, body) = splitHeader(data)
    let raw = UnsafeRawBufferPointer(body)
    _ = CharsetSniffer.byteOrderMark(raw)
    let declared = CharsetSniffer.declaredCharset(contentType: header.isEmpty ? nil : header,
                                                  htmlPrefix: UnsafeRawBufferPointer(rebasing: raw.prefix(CharsetSniffer.prescanLength)))
    let decoded = CharsetDetector.decodeToUTF8(raw, declared: declared)
    fuzzCheck(UTF8Validation.isValid(decoded.text), "CharsetDetector gave invalid UTF-8 (\(decoded.charset ?? "utf-8"))")
    if let label = CharsetDecoder.canonicalName(header), let result = CharsetDecoder.decodeToUTF8(raw, charset: label) {
        fuzzCheck(UTF8Validation.isValid(result.text), "CharsetDecoder gave invalid UTF-8 for \(label)")
    }
}

/// The PII scanner on arbitrary text (valid UTF-8 or not): spans lie inside the text, in order.
let piiTarget = FuzzTarget(name: "pii", summary: "PIIScanner: spans in bounds and ordered") { data in
    var spans: [PIISpan] = []
    PIIScanner().scan(data, into: &spans)
    var previousStart = 0
    for span in spans {
        fuzzCheck(span.start >= 0 && span.start < span.end && span.end <= data.count,
                  "span \(span.start)..<\(span.end) outside the text of \(data.count) bytes")
        fuzzCheck(span.start >= previousStart, "spans out of order")
        previousStart = span.start
    }
}

/// Every pre-token split pattern's scanner: the pieces are non-empty, contiguous and cover the input exactly.
let preTokenTarget = FuzzTarget(name: "pretoken", summary: "pre-token split scanners (every SplitPattern)") { data in
    for pattern in SplitPattern.allCases {
        var next = 0
        PreTokenizer(pattern: pattern).split(data) { range in
            fuzzCheck(range.lowerBound == next && range.upperBound > range.lowerBound && range.upperBound <= data.count,
                      "\(pattern) piece \(range) after \(next) in \(data.count) bytes")
            next = range.upperBound
        }
        fuzzCheck(next == data.count, "\(pattern) pieces end at \(next) of \(data.count) bytes")
    }
    // Differential: the input's bytes mapped onto stable characters, split by the GPT-2 scanner and by the slow
    // reference, must give the same pieces.
    let scalars = data.map { GPT2SplitReference.differentialAlphabet[Int($0) % GPT2SplitReference.differentialAlphabet.count] }
    var text: [UInt8] = []
    var scalarStart: [Int] = []  // byte offset of each scalar
    for scalar in scalars {
        scalarStart.append(text.count)
        text += Array(String(scalar).utf8)
    }
    scalarStart.append(text.count)
    let expected = GPT2SplitReference.split(scalars).map { scalarStart[$0.lowerBound]..<scalarStart[$0.upperBound] }
    var got: [Range<Int>] = []
    text.withUnsafeBufferPointer { buffer in PreTokenizer(pattern: .gpt2).split(buffer) { got.append($0) } }
    fuzzCheck(got == expected, "gpt2 scanner split \(String(decoding: text, as: UTF8.self).debugDescription) into \(got), the reference into \(expected)")
}

/// HTML main-text extraction (tokenizer, tree builder, content selection) in every mode and format: the text
/// is valid UTF-8. No time budget, so that a slow page is a hang libFuzzer reports.
let htmlTarget = FuzzTarget(name: "html", summary: "HTMLExtractor: tokenizer, tree, boilerplate removal") { data in
    let choice = Int(data.first ?? 0)
    let modes = ExtractionMode.allCases, formats = ExtractionFormat.allCases
    var extractor = HTMLExtractor(options: HTMLExtractionOptions(mode: modes[choice % modes.count],
                                                                 format: formats[(choice / modes.count) % formats.count],
                                                                 timeBudget: nil))
    // The extractor takes UTF-8 (the WARC reader decodes pages first): the input is repaired as the reader does.
    let page = UTF8Validation.repaired(Array(data.dropFirst())).bytes
    let extraction = extractor.extract(page)
    fuzzCheck(UTF8Validation.isValid(extraction.text), "extracted text is not valid UTF-8")
}
