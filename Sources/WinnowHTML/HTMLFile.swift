import WinnowIO
import WinnowText

/// A plain HTML file (`.html`, `.htm`, optionally gzip- or zstd-compressed) read and decoded to UTF-8 by the
/// same charset rule as the WARC reader: a byte order mark, else `<meta charset>`/`http-equiv` in the first
/// 1024 bytes, else UTF-8 when valid, else ICU detection.
public struct HTMLFile: Sendable {
    /// The page as UTF-8.
    public var text: [UInt8]
    /// The charset the page was decoded from; nil for valid UTF-8 that declares nothing.
    public var charset: String?
    /// Invalid sequences replaced by U+FFFD.
    public var replacements: Int

    /// Reads at most `maxBytes` decompressed bytes; throws `HTMLFileError.tooLarge` beyond that.
    public static func read(path: String, maxBytes: Int = 64 << 20) throws -> HTMLFile {
        let source = try openByteSource(path: path)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[..<n])
            if bytes.count > maxBytes { throw HTMLFileError.tooLarge(path: path, limit: maxBytes) }
        }
        return decode(bytes)
    }

    /// Decodes page bytes to UTF-8 (the charset rule above; `contentType` is an HTTP Content-Type value).
    public static func decode(_ bytes: [UInt8], contentType: String? = nil) -> HTMLFile {
        bytes.withUnsafeBytes { raw in
            let declared = CharsetSniffer.declaredCharset(contentType: contentType, htmlPrefix: raw)
            let decoded = CharsetDetector.decodeToUTF8(raw, declared: declared)
            return HTMLFile(text: decoded.text, charset: decoded.charset, replacements: decoded.replacements)
        }
    }

    /// Whether a path names a plain HTML file (by its name, compression suffix aside).
    public static func isHTMLPath(_ path: String) -> Bool {
        var name = path.lowercased()
        for suffix in [".gz", ".zst"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
        return name.hasSuffix(".html") || name.hasSuffix(".htm") || name.hasSuffix(".xhtml")
    }
}

/// Why an HTML file could not be read.
public enum HTMLFileError: Error, CustomStringConvertible {
    case tooLarge(path: String, limit: Int)

    public var description: String {
        switch self {
        case .tooLarge(let path, let limit): "\(path): larger than \(limit) bytes after decompression; skipped"
        }
    }
}
