import CZlib
import WinnowText

/// Turns an HTTP payload (or a WET block) into UTF-8 text, through WinnowText's charset decoders.
enum PayloadDecoding {
    /// UTF-8 text and how many invalid sequences were replaced by U+FFFD.
    struct Text {
        var bytes: [UInt8]
        var replacements: Int
        /// The charset could not be decoded (unknown label): the bytes were read as undeclared.
        var unknownCharset: Bool
        /// The canonical name of the charset the text was decoded from; nil for valid UTF-8 with nothing
        /// declared.
        var charset: String? = nil
        /// Whether detection ran (the body was not valid UTF-8 and declared UTF-8 or nothing) and, if so,
        /// whether its answer was used (true) or the fallback (false).
        var detected: Bool? = nil
    }

    /// Decodes `body` by `CharsetDetector`'s rule: the declared `charset` (a name from `CharsetSniffer`,
    /// nil when undeclared) unless the page claims UTF-8 or nothing and is not valid UTF-8; then the
    /// charset is detected. Valid UTF-8 is copied once, without conversion or detection; a byte order
    /// mark is dropped.
    static func text(_ body: UnsafeRawBufferPointer, charset: String?) -> Text {
        let unknown = charset.map { $0 != "utf-8" && CharsetDecoder.canonicalName($0) == nil } ?? false
        let decoded = CharsetDetector.decodeToUTF8(body, declared: unknown ? nil : charset)
        let detected: Bool?
        switch decoded.choice {
        case .declared: detected = nil
        case .detected: detected = true
        case .fallback: detected = false
        }
        return Text(bytes: decoded.text, replacements: decoded.replacements, unknownCharset: unknown,
                    charset: decoded.charset, detected: detected)
    }

    /// `body` as UTF-8, repaired.
    static func utf8(_ body: UnsafeRawBufferPointer) -> Text {
        let valid = UTF8Validation.validPrefixLength(body)
        if valid == body.count { return Text(bytes: Array(body), replacements: 0, unknownCharset: false) }
        var output: [UInt8] = []
        output.reserveCapacity(body.count + 16)
        output.append(contentsOf: UnsafeRawBufferPointer(rebasing: body[..<valid]))
        let replacements = UTF8Validation.appendRepairing(UnsafeRawBufferPointer(rebasing: body[valid...]), to: &output)
        return Text(bytes: output, replacements: replacements, unknownCharset: false)
    }

    /// Inflates a gzip (`windowBits` 15+16) or zlib/raw deflate body; nil when it is not valid compressed
    /// data or inflates to more than `limit` bytes. A body cut short keeps what inflated.
    static func inflate(_ body: UnsafeRawBufferPointer, gzip: Bool, limit: Int) -> [UInt8]? {
        if gzip {
            return inflate(body, windowBits: 15 + 16, limit: limit)
        }
        // "deflate" is zlib-wrapped by the standard, raw deflate in practice: try both.
        return inflate(body, windowBits: 15, limit: limit) ?? inflate(body, windowBits: -15, limit: limit)
    }

    private static func inflate(_ body: UnsafeRawBufferPointer, windowBits: Int32, limit: Int) -> [UInt8]? {
        guard let base = body.baseAddress, !body.isEmpty else { return nil }
        var stream = z_stream()
        // The stream is used within this function only, so its address is stable between calls.
        return withUnsafeMutablePointer(to: &stream) { stream -> [UInt8]? in
            guard winnow_inflateInit2(stream, windowBits) == Z_OK else { return nil }
            defer { inflateEnd(stream) }
            stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = uInt(min(body.count, Int(UInt32.max)))
            var output: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 64 << 10)
            while true {
                let (status, made) = chunk.withUnsafeMutableBytes { out -> (Int32, Int) in
                    stream.pointee.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.pointee.avail_out = uInt(out.count)
                    let status = CZlib.inflate(stream, Z_NO_FLUSH)
                    return (status, out.count - Int(stream.pointee.avail_out))
                }
                output.append(contentsOf: chunk[..<made])
                if output.count > limit { return nil }
                switch status {
                case Z_STREAM_END:
                    return output
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    return output.isEmpty ? nil : output
                default:
                    return nil
                }
            }
        }
    }
}
