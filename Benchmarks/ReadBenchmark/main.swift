// winnow-read-bench: read throughput of WinnowIO, and our JSON parser against Foundation's.
//
//   winnow-read-bench read FILE [--format auto|jsonl|warc|wet|parquet] [--size] [--columns a,b]
//   winnow-read-bench decompress FILE
//   winnow-read-bench layers FILE.jsonl[.zst|.gz]
//   winnow-read-bench json FILE [--limit-mb N] [--reps N]
//
// Build it in release mode (`swift build -c release --product winnow-read-bench`); see Benchmarks/README.md.
// Every mode prints human-readable lines, then one JSON object on the last line for scripts.
//
// This file is the only place in Winnow that imports Foundation: it is here to compare against it.

import Foundation
import WinnowCore
import WinnowIO

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Clocks

/// Process CPU time (user + system) in seconds, from getrusage.
func cpuSeconds() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

func wallSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

struct Timing {
    var cpu: Double
    var wall: Double
}

func measure(_ body: () throws -> Void) rethrows -> Timing {
    let c0 = cpuSeconds(), w0 = wallSeconds()
    try body()
    return Timing(cpu: cpuSeconds() - c0, wall: wallSeconds() - w0)
}

func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    guard !s.isEmpty else { return 0 }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func fmt(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }

let megabyte = 1_000_000.0

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("winnow-read-bench: \(message)\n".utf8))
    exit(2)
}

let usage = """
    usage:
      winnow-read-bench read FILE [--format auto|jsonl|warc|wet|parquet] [--size] [--columns a,b]
          Streams FILE through the WinnowIO reader on one thread; counts documents and text bytes.
          --columns  Parquet: decode only these metadata columns besides text and id ("" for none).
          --size  also decompress the file once more, after the timed part, to report decompressed MB
                  and MB/s (JSONL files report it without this, from the reader's own byte count).
      winnow-read-bench decompress FILE
          Decompresses FILE with WinnowIO's byte source (libzstd / zlib) into a 1 MiB buffer, nothing else:
          the in-process ceiling.
      winnow-read-bench layers FILE.jsonl[.zst|.gz]
          Times decompression alone, + line splitting, + JSON decoding, and the whole JSONLReader, each a
          full pass over the file, to show where the reading time goes.
      winnow-read-bench json FILE [--limit-mb N] [--reps N]
          Loads the lines of a JSONL file (plain, gzip or zstd) into memory, at most N MB (default 200),
          then times parsing every line with Winnow's JSONLDocumentDecoder, Winnow's JSONParser,
          Foundation's JSONSerialization and Foundation's JSONDecoder (into a Codable struct).
          Each parser runs N times (default 3), interleaved; medians are reported.
    """

// MARK: - read

/// Decompressed size of a file, by streaming it through WinnowIO's byte source.
func decompressedSize(_ path: String) throws -> Int64 {
    let source = try openByteSource(path: path)
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buffer.deallocate() }
    var total: Int64 = 0
    while true {
        let n: Int
        do { n = try source.read(into: buffer) } catch { warnStreamError(error); return total }
        if n == 0 { return total }
        total += Int64(n)
    }
}

/// A stream error is reported on stderr and ends the pass (as the readers do: they report and stop).
func warnStreamError(_ error: any Error) {
    FileHandle.standardError.write(Data("winnow-read-bench: warning: \(error)\n".utf8))
}

/// `reader.nextLine`, with a stream error reported and taken as the end of the stream.
func nextLine(_ reader: BufferedByteReader) -> BufferedByteReader.Line? {
    do { return try reader.nextLine(maxBytes: 64 << 20) } catch { warnStreamError(error); return nil }
}

func runRead(_ args: [String]) throws {
    var file: String?
    var formatName = "auto"
    var wantSize = false
    var options = ReaderOptions()
    var i = 0
    while i < args.count {
        switch args[i] {
        case "--columns":
            i += 1
            guard i < args.count else { fail("--columns needs a value") }
            options.columns = args[i].split(separator: ",").map(String.init)
        case "--format":
            i += 1
            guard i < args.count else { fail("--format needs a value") }
            formatName = args[i]
        case "--size": wantSize = true
        default:
            if file == nil { file = args[i] } else { fail("unexpected argument \(args[i])\n\(usage)") }
        }
        i += 1
    }
    guard let file else { fail(usage) }
    guard let requested = InputFormat(rawValue: formatName) else { fail("unknown format \(formatName)") }

    let format = try requested.resolve(path: file)
    let reader = format.reader(options: options)
    var stats = StageStats(name: "read")
    var documents = 0
    var textBytes = 0
    var problems: [String: Int] = [:]
    let timing = try measure {
        try reader.read(file: file, stats: &stats, problem: { problems[$0.reason, default: 0] += 1 }) { document in
            documents += 1
            textBytes += document.text.count
        }
    }
    // JSONL readers count every line byte (+1 for the newline) in bytesIn; the others do not count.
    var decompressed: Int64? = stats.bytesIn > 0 ? Int64(stats.bytesIn) : nil
    if decompressed == nil && wantSize { decompressed = try decompressedSize(file) }

    print("file:            \(file)")
    print("format:          \(format.rawValue)")
    print("documents:       \(documents)")
    print("text MB:         \(fmt(Double(textBytes) / megabyte, 1))")
    if let decompressed { print("decompressed MB: \(fmt(Double(decompressed) / megabyte, 1))") }
    print("wall s:          \(fmt(timing.wall))")
    print("cpu s:           \(fmt(timing.cpu))")
    if let decompressed {
        print("MB/s (wall):     \(fmt(Double(decompressed) / megabyte / timing.wall, 1))")
        print("MB/s per core:   \(fmt(Double(decompressed) / megabyte / timing.cpu, 1))  (decompressed MB / CPU s)")
    }
    if !problems.isEmpty { print("problems:        \(problems.sorted { $0.key < $1.key })") }
    let counters = stats.counters.sorted { $0.key < $1.key }
    if !counters.isEmpty { print("counters:        \(counters.map { "\($0.key)=\($0.value)" }.joined(separator: " "))") }

    var result: [String: Any] = [
        "tool": "winnow", "mode": "read", "format": format.rawValue, "docs": documents,
        "text_bytes": textBytes, "cpu_s": timing.cpu, "wall_s": timing.wall,
        "problems": problems.values.reduce(0, +),
    ]
    if let decompressed { result["decompressed_bytes"] = decompressed }
    printJSON(result)
}

func printJSON(_ object: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

// MARK: - layers

/// Times the layers of JSONL reading one by one, each a full pass over the file: decompression alone
/// (WinnowIO's byte source into a 1 MiB buffer), + line splitting (BufferedByteReader), + decoding each
/// line (JSONLDocumentDecoder), and the whole JSONLReader. The differences show where the time goes.
func runLayers(_ args: [String]) throws {
    guard args.count == 1, let file = args.first else { fail(usage) }
    var rows: [[String: Any]] = []
    func report(_ name: String, _ t: Timing, _ bytes: Int64, _ docs: Int) {
        let mb = Double(bytes) / megabyte
        print("\(name.padding(toLength: 34, withPad: " ", startingAt: 0)) docs \(String(docs).leftPad(8))  cpu s \(fmt(t.cpu).leftPad(7))  MB/s per core \(fmt(mb / t.cpu, 1).leftPad(7))")
        rows.append(["layer": name, "cpu_s": t.cpu, "wall_s": t.wall, "docs": docs, "decompressed_bytes": bytes])
    }
    var size: Int64 = 0
    report("decompress (openByteSource)", try measure { size = try decompressedSize(file) }, size, 0)

    var lines = 0
    report("+ lines (BufferedByteReader)", try measure {
        let reader = BufferedByteReader(source: try openByteSource(path: file))
        while let line = nextLine(reader) {
            if case .line = line { lines += 1 }
        }
    }, size, lines)

    var decoded = 0
    report("+ decode (JSONLDocumentDecoder)", try measure {
        let reader = BufferedByteReader(source: try openByteSource(path: file))
        var decoder = JSONLDocumentDecoder()
        var replacements = 0
        while let line = nextLine(reader) {
            guard case .line(let bytes, _) = line, !bytes.isEmpty else { continue }
            if (try? decoder.decode(bytes, replacements: &replacements)) != nil { decoded += 1 }
        }
    }, size, decoded)

    var documents = 0
    report("JSONLReader (all of it)", try measure {
        var stats = StageStats(name: "read")
        try JSONLReader().read(file: file, stats: &stats, problem: { _ in }) { _ in documents += 1 }
    }, size, documents)
    printJSON(["tool": "winnow", "mode": "layers", "layers": rows])
}

// MARK: - json

/// All lines of a file in one contiguous buffer.
struct Lines {
    var bytes: UnsafeMutableRawPointer
    var ranges: [(start: Int, count: Int)]
    var total: Int  // bytes of line content, newlines excluded

    func forEach(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        for r in ranges { try body(UnsafeRawBufferPointer(start: bytes + r.start, count: r.count)) }
    }
}

func loadLines(_ path: String, limitBytes: Int) throws -> Lines {
    let reader = BufferedByteReader(source: try openByteSource(path: path))
    var storage: [UInt8] = []
    var ranges: [(start: Int, count: Int)] = []
    while storage.count < limitBytes, let line = nextLine(reader) {
        guard case .line(let bytes, _) = line else { continue }
        if bytes.isEmpty { continue }
        ranges.append((storage.count, bytes.count))
        storage.append(contentsOf: bytes)
    }
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(storage.count, 1), alignment: 16)
    storage.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    return Lines(bytes: buffer, ranges: ranges, total: storage.count)
}

/// What a datatrove-style pipeline keeps of a line: the id, the text and some metadata.
struct CodableDocument: Decodable {
    var id: String
    var text: String
    var url: String?
    var date: String?
    var source: String?
    var lang: String?
    var license: String?
    var title: String?
}

struct ParserResult {
    var docs = 0
    var textBytes = 0
    var failures = 0
}

/// One way to parse a line. Each counts documents and the UTF-8 bytes of their text, so that every
/// candidate materialises the text and none can skip work.
struct Candidate {
    var name: String
    var note: String
    var run: (Lines) -> ParserResult
}

func dataNoCopy(_ line: UnsafeRawBufferPointer) -> Data {
    Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: line.baseAddress!), count: line.count, deallocator: .none)
}

func makeCandidates() -> [Candidate] { [
    Candidate(name: "winnow JSONLDocumentDecoder", note: "Document: text bytes, id, metadata as JSONObject") { lines in
        var decoder = JSONLDocumentDecoder()
        var r = ParserResult()
        var replacements = 0
        lines.forEach { line in
            do {
                let document = try decoder.decode(line, replacements: &replacements)
                r.docs += 1
                r.textBytes += document.text.count
            } catch {
                r.failures += 1
            }
        }
        return r
    },
    Candidate(name: "winnow JSONParser.parse", note: "generic JSONValue tree") { lines in
        var r = ParserResult()
        lines.forEach { line in
            do {
                let value = try JSONParser.parse(line)
                guard case .object(let object) = value, let text = object.first(where: { $0.key == "text" })?.value.stringValue
                else { r.failures += 1; return }
                r.docs += 1
                r.textBytes += text.utf8.count
            } catch {
                r.failures += 1
            }
        }
        return r
    },
    Candidate(name: "Foundation JSONSerialization", note: "jsonObject(with:) -> [String: Any]") { lines in
        var r = ParserResult()
        lines.forEach { line in
            guard let object = try? JSONSerialization.jsonObject(with: dataNoCopy(line)) as? [String: Any],
                  let text = object["text"] as? String
            else { r.failures += 1; return }
            r.docs += 1
            r.textBytes += text.utf8.count
        }
        return r
    },
    Candidate(name: "Foundation JSONDecoder", note: "Codable struct: id, text, 6 optional fields") { lines in
        var r = ParserResult()
        let decoder = JSONDecoder()
        lines.forEach { line in
            guard let document = try? decoder.decode(CodableDocument.self, from: dataNoCopy(line)) else {
                r.failures += 1
                return
            }
            r.docs += 1
            r.textBytes += document.text.utf8.count
        }
        return r
    },
] }

func runJSON(_ args: [String]) throws {
    var file: String?
    var limitMB = 200
    var reps = 3
    var i = 0
    while i < args.count {
        switch args[i] {
        case "--limit-mb":
            i += 1
            guard i < args.count, let v = Int(args[i]), v > 0 else { fail("--limit-mb needs a positive number") }
            limitMB = v
        case "--reps":
            i += 1
            guard i < args.count, let v = Int(args[i]), v > 0 else { fail("--reps needs a positive number") }
            reps = v
        default:
            if file == nil { file = args[i] } else { fail("unexpected argument \(args[i])\n\(usage)") }
        }
        i += 1
    }
    guard let file else { fail(usage) }

    let candidates = makeCandidates()
    let lines = try loadLines(file, limitBytes: limitMB * 1_000_000)
    let mb = Double(lines.total) / megabyte
    print("file:   \(file)")
    print("lines:  \(lines.ranges.count) (first \(limitMB) MB of the decompressed file, loaded before timing)")
    print("MB:     \(fmt(mb, 1)) of line content")
    print("reps:   \(reps), interleaved; medians of CPU seconds")
    print("")

    var cpu = [[Double]](repeating: [], count: candidates.count)
    var wall = [[Double]](repeating: [], count: candidates.count)
    var results = [ParserResult](repeating: ParserResult(), count: candidates.count)
    for _ in 0..<reps {
        for (k, candidate) in candidates.enumerated() {
            var result = ParserResult()
            let t = measure { result = candidate.run(lines) }
            cpu[k].append(t.cpu)
            wall[k].append(t.wall)
            results[k] = result
        }
    }

    let ours = median(cpu[0])
    let header = "parser".padding(toLength: 30, withPad: " ", startingAt: 0)
    print("\(header)      docs  CPU s (med)   MB/s per core   vs JSONLDocumentDecoder")
    var rows: [[String: Any]] = []
    for (k, candidate) in candidates.enumerated() {
        let c = median(cpu[k])
        let name = candidate.name.padding(toLength: 30, withPad: " ", startingAt: 0)
        let docs = String(results[k].docs).leftPad(10)
        print("\(name)\(docs)  \(fmt(c).leftPad(11))   \(fmt(mb / c, 1).leftPad(13))   \(fmt(c / ours, 2).leftPad(10))x time")
        if results[k].failures > 0 { print("    (\(results[k].failures) lines failed)") }
        rows.append([
            "parser": candidate.name, "note": candidate.note, "docs": results[k].docs,
            "text_bytes": results[k].textBytes, "failures": results[k].failures,
            "cpu_s": cpu[k], "wall_s": wall[k], "cpu_s_median": c, "mb_per_cpu_s": mb / c,
        ])
    }
    printJSON(["tool": "winnow", "mode": "json", "bytes": lines.total, "lines": lines.ranges.count, "results": rows])
}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

// MARK: - main

let arguments = Array(CommandLine.arguments.dropFirst())
guard let mode = arguments.first else { fail(usage) }
do {
    switch mode {
    case "read": try runRead(Array(arguments.dropFirst()))
    case "json": try runJSON(Array(arguments.dropFirst()))
    case "layers": try runLayers(Array(arguments.dropFirst()))
    case "decompress":
        guard arguments.count == 2 else { fail(usage) }
        var size: Int64 = 0
        let t = try measure { size = try decompressedSize(arguments[1]) }
        print("decompressed MB: \(fmt(Double(size) / megabyte, 1))  cpu s \(fmt(t.cpu))  MB/s per core \(fmt(Double(size) / megabyte / t.cpu, 1))")
        printJSON(["tool": "winnow", "mode": "decompress", "decompressed_bytes": size, "cpu_s": t.cpu, "wall_s": t.wall])
    case "-h", "--help", "help": print(usage)
    default: fail("unknown mode \(mode)\n\(usage)")
    }
} catch {
    fail("\(error)")
}
