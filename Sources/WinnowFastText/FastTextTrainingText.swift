#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Training text in fastText's format (`__label__xx __label__yy text ...`, one example a line), held in
/// memory as bytes and read the way fastText reads its input file.
///
/// Several inputs are concatenated, with a `\n` added between two when the first does not end in one.
/// Decompression is the caller's (the CLI passes WinnowIO's byte sources for `.gz` and `.zst`).
public final class FastTextTrainingText: @unchecked Sendable {
    private let storage: UnsafeMutableRawBufferPointer
    /// Bytes of text (the allocation may be one byte longer, never read).
    public let count: Int

    /// The text's bytes.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(storage)[0..<count]) }

    public init(bytes: [UInt8]) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        bytes.withUnsafeBytes { if !$0.isEmpty { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
        storage = buffer
        count = bytes.count
    }

    /// Reads each input to its end through its chunk reader (`read(into:)` returns the bytes it filled,
    /// 0 at the end), concatenating them.
    public convenience init(readers: [(UnsafeMutableRawBufferPointer) throws -> Int]) throws {
        var all: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        for read in readers {
            if let last = all.last, last != 0x0A { all.append(0x0A) }
            while true {
                let n = try chunk.withUnsafeMutableBytes { try read($0) }
                if n == 0 { break }
                all.append(contentsOf: chunk[0..<n])
            }
        }
        self.init(bytes: all)
    }

    deinit { storage.deallocate() }
}

/// fastText's `Dictionary::readWord` over bytes in memory: tokens are split on space, `\n`, `\r`, `\t`, `\v`,
/// `\f` and NUL; an empty line (a `\n` with no token before it) reads as the `</s>` token, and so does the
/// end of every line. At the end of the text it sets `atEnd` (the stream's eofbit); the next line read
/// starts again at the beginning, as fastText's `Dictionary::reset` does between epochs.
struct FastTextWordReader {
    let text: UnsafeRawBufferPointer
    var position: Int
    var atEnd = false

    /// The token just read: bytes `start..<end`, or `</s>` when `isEndOfLine`.
    var start = 0, end = 0
    var isEndOfLine = false

    init(text: UnsafeRawBufferPointer, position: Int = 0) {
        self.text = text
        self.position = position
    }

    @inline(__always)
    static func isSeparator(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 || c == 0x0B || c == 0x0C || c == 0
    }

    /// Reads the next token; false at the end of the text.
    @inline(__always)
    mutating func readWord() -> Bool {
        let n = text.count
        var p = position
        var wordStart = -1
        while p < n {
            let c = text[p]
            p += 1
            if Self.isSeparator(c) {
                if wordStart < 0 {
                    if c == 0x0A {
                        isEndOfLine = true
                        position = p
                        return true
                    }
                    continue
                }
                // The newline after a word is read again as the line's `</s>`.
                end = p - 1
                position = c == 0x0A ? p - 1 : p
                start = wordStart
                isEndOfLine = false
                return true
            }
            if wordStart < 0 { wordStart = p - 1 }
        }
        position = n
        atEnd = true
        guard wordStart >= 0 else { return false }
        start = wordStart
        end = n
        isEndOfLine = false
        return true
    }

    /// fastText's `Dictionary::reset`: after the end of the text, start again at its beginning.
    @inline(__always)
    mutating func rewindAtEnd() {
        if atEnd {
            atEnd = false
            position = 0
        }
    }
}
