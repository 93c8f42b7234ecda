import WinnowHTML
import WinnowPII
import WinnowReferences
import WinnowText
import WinnowTokenizer

/// Charset handling of a fetched page: the first line is the Content-Type header (or a charset label), the
/// rest the body. Sniffing, detection and decoding must all give valid UTF-8. The SIMD UTF-8 validator must
/// agree with the Swift standard library's on the raw body (differential).
let charsetTarget = FuzzTarget(name: "charset", summary: "charset sniffing, detection and decoding (WinnowText)") { data in
    let (header, body) = splitHeader(data)
    let raw = UnsafeRawBufferPointer(body)
    fuzzCheck(UTF8Validation.isValid(raw) == (String(validating: body, as: UTF8.self) != nil),
              "UTF8Validation.isValid disagrees with the standard library on \(body.count) bytes")
    _ = CharsetSniffer.byteOrderMark(raw)
    let declared = CharsetSniffer.declaredCharset(contentType: header.isEmpty ? nil : header,
                                                  htmlPrefix: UnsafeRawBufferPointer(rebasing: raw.prefix(CharsetSniffer.prescanLength)))
    let decoded = CharsetDetector.decodeToUTF8(raw, declared: declared)
    fuzzCheck(UTF8Validation.isValid(decoded.text), "CharsetDetector gave invalid UTF-8 (\(decoded.charset ?? "utf-8"))")
    if let label = CharsetDecoder.canonicalName(header), let result = CharsetDecoder.decodeToUTF8(raw, charset: label) {
        fuzzCheck(UTF8Validation.isValid(result.text), "CharsetDecoder gave invalid UTF-8 for \(label)")
    }
}

/// The PII scanner on arbitrary text (valid UTF-8 or not): spans lie inside the text, in order, without overlap,
/// and each re-validates with its type's independent checker (`PIISpanCheck`: Luhn, mod 97, inet_pton, ...).
let piiTarget = FuzzTarget(name: "pii", summary: "PIIScanner: spans in bounds, ordered, re-validated by an oracle") { data in
    var spans: [PIISpan] = []
    PIIScanner().scan(data, into: &spans)
    var previousEnd = 0
    for span in spans {
        fuzzCheck(span.start >= 0 && span.start < span.end && span.end <= data.count,
                  "span \(span.start)..<\(span.end) outside the text of \(data.count) bytes")
        fuzzCheck(span.start >= previousEnd, "span \(span.start)..<\(span.end) overlaps or precedes the one ending at \(previousEnd)")
        previousEnd = span.end
        let value = Array(data[span.start..<span.end])
        if let problem = PIISpanCheck.problem(type: span.type.key, value) {
            fuzzCheck(false, "\(span.type.key) span \(String(decoding: value, as: UTF8.self).debugDescription) fails the oracle: \(problem)")
        }
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
    // Differential: the input's first 512 bytes mapped onto characters whose Unicode properties are stable,
    // split by each scanner and by the slow regex-shaped reference reading the pattern's regex, give the same pieces.
    let text = DifferentialText(mapping: data.prefix(512))
    for (pattern, reference) in splitReferences {
        let expected = text.byteRanges(reference.split(text.scalars))
        var got: [Range<Int>] = []
        text.utf8.withUnsafeBufferPointer { buffer in PreTokenizer(pattern: pattern).split(buffer) { got.append($0) } }
        fuzzCheck(got == expected, "\(pattern) scanner split \(String(decoding: text.utf8, as: UTF8.self).debugDescription) into \(got), the reference into \(expected)")
    }
}

/// Each split pattern's reference, parsed once.
let splitReferences: [(SplitPattern, SplitRegexReference)] = SplitPattern.allCases.map { ($0, try! SplitRegexReference($0.regex)) }

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
