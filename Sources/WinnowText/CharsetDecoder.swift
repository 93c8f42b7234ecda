@_implementationOnly import CICU

/// Decodes text in a declared charset to UTF-8, the way browsers read web pages.
///
/// Charset names are WHATWG encoding labels (`latin1`, `sjis`, `gb2312`, ...), matched case-insensitively
/// and mapped as browsers map them (see `CharsetLabels`); a name the WHATWG list lacks is tried as an ICU
/// converter name or alias (`cp437`, `utf-32`). UTF-8 is repaired by `UTF8Validation`, everything else is
/// converted by ICU through UTF-16.
///
/// Invalid or unmapped byte sequences become U+FFFD and are counted by a to-Unicode callback, one per
/// sequence ICU reports (ICU's own notion of an invalid sequence; for UTF-8 the Unicode maximal-subpart
/// rule). As in the WHATWG "decode" algorithm, a leading UTF-8 or UTF-16 byte order mark overrides the
/// charset (of a known label) and is dropped.
public enum CharsetDecoder {
    /// The canonical name of a charset label: the WHATWG encoding name in lower case (`windows-1252` for
    /// `Latin1`), or for labels only ICU knows, ICU's IANA (else internal) name in lower case. `nil` when
    /// nothing can decode the label.
    public static func canonicalName(_ label: String) -> String? {
        resolve(label)?.name
    }

    /// Decodes `bytes` in `charset` to UTF-8. Returns `nil` when the charset is unknown. Valid UTF-8 in
    /// `utf-8` is returned as is (no copy).
    public static func decodeToUTF8(_ bytes: [UInt8], charset: String) -> (text: [UInt8], replacements: Int)? {
        guard let encoding = resolve(charset) else { return nil }
        let bom = bytes.withUnsafeBytes { CharsetSniffer.byteOrderMark($0) }
        if encoding.decoding == .utf8, bom == nil {
            let (text, replacements) = UTF8Validation.repaired(bytes)
            return (text, replacements)
        }
        return bytes.withUnsafeBytes { decode($0, encoding) }
    }

    /// Decodes `bytes` in `charset` to UTF-8. Returns `nil` when the charset is unknown.
    public static func decodeToUTF8(_ bytes: UnsafeRawBufferPointer, charset: String) -> (text: [UInt8], replacements: Int)? {
        guard let encoding = resolve(charset) else { return nil }
        return decode(bytes, encoding)
    }

    // MARK: Internals

    static func resolve(_ label: String) -> CharsetLabels.Encoding? {
        let key = CharsetLabels.normalize(label)
        if let known = CharsetLabels.table[key] { return known }
        guard !key.isEmpty, key != "replacement", key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        var err = U_ZERO_ERROR
        guard let decoder = winnow_decoder_open(key, &err) else { return nil }
        defer { winnow_decoder_close(decoder) }
        let icuName = String(cString: winnow_decoder_name(decoder))
        let name = winnow_ucnv_standardName(icuName, "IANA").map { String(cString: $0) } ?? icuName
        return CharsetLabels.Encoding(name: CharsetLabels.normalize(name), decoding: .icu(key))
    }

    private static func decode(_ bytes: UnsafeRawBufferPointer, _ encoding: CharsetLabels.Encoding) -> (text: [UInt8], replacements: Int)? {
        var input = bytes
        var decoding = encoding.decoding
        var invalidBytes = encoding.invalidBytes
        if let bom = CharsetSniffer.byteOrderMark(bytes) {
            input = UnsafeRawBufferPointer(rebasing: bytes.dropFirst(bom.length))
            invalidBytes = []
            switch bom.charset {
            case "utf-8": decoding = .utf8
            case "utf-16le": decoding = .icu("UTF-16LE")
            default: decoding = .icu("UTF-16BE")
            }
        }
        switch decoding {
        case .utf8:
            var out = [UInt8]()
            out.reserveCapacity(input.count)
            let n = UTF8Validation.appendRepairing(input, to: &out)
            return (out, n)
        case .xUserDefined:
            return (decodeXUserDefined(input), 0)
        case .icu(let name):
            return decodeICU(input, converter: name, invalidBytes: invalidBytes)
        }
    }

    /// x-user-defined: ASCII as is, bytes 80..FF to U+F780..U+F7FF.
    private static func decodeXUserDefined(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        for b in bytes {
            if b < 0x80 {
                out.append(b)
            } else {
                let scalar = 0xF780 + UInt32(b - 0x80)
                out.append(0xE0 | UInt8(scalar >> 12))
                out.append(0x80 | UInt8((scalar >> 6) & 0x3F))
                out.append(0x80 | UInt8(scalar & 0x3F))
            }
        }
        return out
    }

    /// Converts with ICU. Each of `invalidBytes` (bytes the encoding never uses but ICU maps) becomes one
    /// U+FFFD, and ICU converts the runs between them separately, so a lead byte cut off by one is replaced
    /// too: CPython's cp949 reads `B0 80` as two U+FFFD. Without such bytes in the input (the common case:
    /// one extra scan) the whole input is one run.
    private static func decodeICU(
        _ bytes: UnsafeRawBufferPointer, converter name: String, invalidBytes: [UInt8]
    ) -> (text: [UInt8], replacements: Int)? {
        var err = U_ZERO_ERROR
        guard let decoder = winnow_decoder_open(name, &err) else { return nil }
        defer { winnow_decoder_close(decoder) }
        guard !bytes.isEmpty else { return ([], 0) }

        let n = bytes.count
        var out = [UInt8]()
        out.reserveCapacity(n + n / 2 + 16)
        // Output goes through a bounded chunk, so any input size works and the result is sized exactly.
        let chunkSize = min(n * 3 + 64, 1 << 16)
        let chunk = UnsafeMutablePointer<CChar>.allocate(capacity: chunkSize)
        defer { chunk.deallocate() }

        /// Converts one run (flushing at its end) and returns its replacements.
        func convert(_ run: UnsafeRawBufferPointer) -> Int {
            guard let base = run.baseAddress, !run.isEmpty else { return 0 }
            var source: UnsafePointer<CChar>? = base.assumingMemoryBound(to: CChar.self)
            let limit = base.assumingMemoryBound(to: CChar.self) + run.count
            var reset: UBool = 1
            var extraReplacements = 0
            while true {
                err = U_ZERO_ERROR
                let written = winnow_decoder_convert(decoder, chunk, Int32(chunkSize), &source, limit, reset, &err)
                reset = 0
                out.append(contentsOf: UnsafeRawBufferPointer(start: chunk, count: Int(written)))
                if err == U_BUFFER_OVERFLOW_ERROR { continue }
                if err.rawValue > U_ZERO_ERROR.rawValue {
                    // Not expected with a substituting callback; keep what was decoded and mark the loss.
                    out.append(contentsOf: UTF8Validation.replacementCharacter)
                    extraReplacements = 1
                }
                break
            }
            return Int(winnow_decoder_substitutions(decoder)) + extraReplacements
        }

        var replacements = 0
        var runStart = 0
        if !invalidBytes.isEmpty {
            var isInvalid = [Bool](repeating: false, count: 256)
            for b in invalidBytes { isInvalid[Int(b)] = true }
            for i in 0..<n where isInvalid[Int(bytes[i])] {
                replacements += convert(UnsafeRawBufferPointer(rebasing: bytes[runStart..<i]))
                out.append(contentsOf: UTF8Validation.replacementCharacter)
                replacements += 1
                runStart = i + 1
            }
        }
        replacements += convert(UnsafeRawBufferPointer(rebasing: bytes[runStart...]))
        return (out, replacements)
    }
}
