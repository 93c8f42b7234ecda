import Testing
import WinnowTestSupport
import WinnowIO

@Suite struct BufferedByteReaderTests {
    /// Every line as a string, with its offset; too-long lines as "<too long N>".
    private func lines(_ text: String, bufferSize: Int, chunk: Int = .max, maxBytes: Int = 1 << 20) throws -> [(String, Int64)] {
        let reader = BufferedByteReader(source: MemoryByteSource(text, chunk: chunk), bufferSize: bufferSize)
        var result: [(String, Int64)] = []
        while let line = try reader.nextLine(maxBytes: maxBytes) {
            switch line {
            case .line(let bytes, let offset): result.append((String(decoding: bytes, as: UTF8.self), offset))
            case .tooLong(let offset, let length): result.append(("<too long \(length)>", offset))
            }
        }
        #expect(reader.offset == Int64(text.utf8.count))
        return result
    }

    /// The reference split, computed naively on bytes (a Swift `Character` would keep "\r\n" together).
    private func reference(_ text: String) -> [(String, Int64)] {
        var result: [(String, Int64)] = []
        var offset: Int64 = 0
        var parts = Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false)
        if parts.last?.isEmpty == true { parts.removeLast() }
        for part in parts {
            result.append((String(decoding: part, as: UTF8.self), offset))
            offset += Int64(part.count + 1)
        }
        return result
    }

    @Test(arguments: [16, 17, 31, 64, 1 << 20])
    func linesStraddlingBufferBoundaries(bufferSize: Int) throws {
        var text = ""
        for i in 0..<300 { text += String(repeating: "é", count: i % 23) + "line \(i)\r\n" + (i % 5 == 0 ? "\n" : "") }
        text += "final line without newline"
        for chunk in [1, 3, 7, 1000] {
            let got = try lines(text, bufferSize: bufferSize, chunk: chunk)
            let want = reference(text)
            #expect(got.count == want.count)
            #expect(got.map(\.0) == want.map(\.0), "buffer \(bufferSize), chunk \(chunk)")
            #expect(got.map(\.1) == want.map(\.1), "buffer \(bufferSize), chunk \(chunk)")
        }
    }

    @Test func carriageReturnIsKeptAndEmptyLinesAreLines() throws {
        let got = try lines("a\r\n\r\n\nb\n", bufferSize: 16)
        #expect(got.map(\.0) == ["a\r", "\r", "", "b"])
        #expect(got.map(\.1) == [0, 3, 5, 6])
    }

    @Test func emptyInputHasNoLines() throws {
        #expect(try lines("", bufferSize: 16).isEmpty)
        #expect(try lines("\n", bufferSize: 16).map(\.0) == [""])
    }

    @Test func tooLongLinesAreSkippedStreaming() throws {
        let long = String(repeating: "x", count: 1000)
        let text = "short\n\(long)\nafter\n\(long)"
        let got = try lines(text, bufferSize: 16, chunk: 5, maxBytes: 100)
        #expect(got.map(\.0) == ["short", "<too long 1000>", "after", "<too long 1000>"])
        #expect(got.map(\.1) == [0, 6, 1007, 1013])
        // The buffer did not grow to hold the long line: reading with a tiny buffer works line by line.
        let exact = try lines("12345\n123456\n", bufferSize: 16, maxBytes: 5)
        #expect(exact.map(\.0) == ["12345", "<too long 6>"])
    }

    @Test func longLinesWithinTheLimitGrowTheBuffer() throws {
        let long = String(repeating: "y", count: 5000)
        let got = try lines("a\n\(long)\nb", bufferSize: 16, chunk: 100, maxBytes: 10000)
        #expect(got.map(\.0) == ["a", long, "b"])
    }

    @Test func readCountAndSkip() throws {
        let bytes = (0..<10000).map { UInt8($0 % 251) }
        let reader = BufferedByteReader(source: MemoryByteSource(bytes, chunk: 333), bufferSize: 64)
        var out: [UInt8] = []
        #expect(try reader.read(count: 10, into: &out) == 10)
        #expect(out == Array(bytes[0..<10]))
        #expect(try reader.skip(90) == 90)
        #expect(reader.offset == 100)
        #expect(try reader.read(count: 5000, into: &out) == 5000)  // larger than the buffer: read directly
        #expect(out == Array(bytes[0..<10]) + Array(bytes[100..<5100]))
        let peeked = try reader.peek(count: 200)
        #expect(Array(peeked) == Array(bytes[5100..<5300]))
        reader.consume(200)
        #expect(try reader.skip(100000) == 4700)
        #expect(reader.offset == 10000)
        #expect(try reader.read(count: 10, into: &out) == 0)
        #expect(try reader.nextLine(maxBytes: 10) == nil)
        #expect(reader.isAtEnd)
    }

    @Test func readPastTheEndReturnsWhatThereIs() throws {
        let reader = BufferedByteReader(source: MemoryByteSource("abc\ndef"), bufferSize: 16)
        _ = try reader.nextLine(maxBytes: 10)
        var out: [UInt8] = []
        #expect(try reader.read(count: 100, into: &out) == 3)
        #expect(out == Array("def".utf8))
    }
}

extension BufferedByteReader.Line: Equatable {
    public static func == (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case (.line(let x, let o1), .line(let y, let o2)): Array(x) == Array(y) && o1 == o2
        case (.tooLong(let o1, let l1), .tooLong(let o2, let l2)): o1 == o2 && l1 == l2
        default: false
        }
    }
}
