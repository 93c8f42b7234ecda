import ArgumentParser
import Foundation
import WinnowCore
import WinnowIO
import WinnowPII

/// `winnow pii ...`: PII tools.
struct PIICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pii", abstract: "PII detection tools.", subcommands: [PIIScanCommand.self, PIIBenchCommand.self])
}

/// Options shared by `scan` and `bench`.
struct PIIInputOptions: ParsableArguments {
    @OptionGroup var documents: DocumentInputOptions

    @Option(help: "Comma-separated types to detect (email, ip, phone, credit_card, iban, us_ssn, secret, crypto); default all.")
    var types: String?

    @Flag(help: "Report private and reserved IP addresses too (default: only global ones).")
    var allIps = false

    func scanner() throws -> PIIScanner {
        var set = PIITypeSet.all
        if let types {
            var list: [PIIType] = []
            for name in types.split(separator: ",") {
                guard let t = PIIType(name: String(name).trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("unknown PII type '\(name)'")
                }
                list.append(t)
            }
            set = PIITypeSet(list)
        }
        return PIIScanner(types: set, publicIPsOnly: !allIps)
    }

    /// Reads every document of `files`, in order.
    func read(_ files: [String], _ body: (Document) throws -> Void) throws {
        try documents.read(files, body)
    }
}

struct PIIScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Print what the pii stage would replace: one JSON line per span.",
        discussion: """
        Each line is {"id", "type", "start", "end", "value"}: start and end are Unicode-scalar offsets into the \
        document text (Python str indices), value the matched text.
        """)

    @OptionGroup var input: PIIInputOptions

    @Argument(help: "JSONL, WARC or WET files (optionally .gz or .zst).")
    var files: [String]

    func run() throws {
        let scanner = try input.scanner()
        var spans: [PIISpan] = []
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        let stdout = FileHandle.standardOutput
        do {
            try input.read(files) { doc in
                spans.removeAll(keepingCapacity: true)
                doc.text.withUnsafeBufferPointer { text in
                    scanner.scan(text, into: &spans)
                    var scalar = 0, at = 0
                    for s in spans {
                        for k in at..<s.start where text[k] & 0xC0 != 0x80 { scalar += 1 }
                        var len = 0
                        for k in s.start..<s.end where text[k] & 0xC0 != 0x80 { len += 1 }
                        at = s.end
                        let line: JSONObject = [
                            "id": .string(doc.id), "type": .string(s.type.label),
                            "start": .number(JSONNumber(scalar)), "end": .number(JSONNumber(scalar + len)),
                            "value": .string(String(decoding: UnsafeBufferPointer(rebasing: text[s.start..<s.end]), as: UTF8.self)),
                        ]
                        scalar += len
                        JSONWriter.appendObject(line, to: &out)
                        out.append(0x0A)
                    }
                }
                if out.count > 1 << 16 { stdout.write(Data(out)); out.removeAll(keepingCapacity: true) }
            }
        } catch let e as ValidationError {
            throw e
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        stdout.write(Data(out))
    }
}

/// `winnow pii bench FILE`: loads the texts into memory, then times the scanner alone (process CPU time,
/// one thread), median of `--reps`. Prints a human line and a JSON object on the last line.
struct PIIBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Time the PII scanner on in-memory texts (see docs/benchmarks.md).", shouldDisplay: false)

    @OptionGroup var input: PIIInputOptions

    @Option(help: "Repetitions; the median is reported.")
    var reps: Int = 3

    @Option(help: "Only the first N MB of text.")
    var limitMb: Double?

    @Argument(help: "Input files.")
    var files: [String]

    func run() throws {
        let scanner = try input.scanner()
        var texts: [[UInt8]] = []
        var bytes = 0
        let limit = limitMb.map { Int($0 * 1e6) } ?? .max
        struct Done: Error {}
        do {
            try input.read(files) { doc in
                if bytes >= limit { throw Done() }
                texts.append(doc.text)
                bytes += doc.text.count
            }
        } catch is Done {}
        var times: [Double] = []
        var found = 0
        var spans: [PIISpan] = []
        spans.reserveCapacity(1024)
        for _ in 0..<max(1, reps) {
            found = 0
            let t0 = piiCPUSeconds()
            for t in texts {
                spans.removeAll(keepingCapacity: true)
                t.withUnsafeBufferPointer { scanner.scan($0, into: &spans) }
                found += spans.count
            }
            times.append(piiCPUSeconds() - t0)
        }
        times.sort()
        let median = times[times.count / 2]
        let mbps = Double(bytes) / 1e6 / median
        print("documents \(texts.count), text \(String(format: "%.1f", Double(bytes) / 1e6)) MB, spans \(found), scan CPU-s \(String(format: "%.3f", median)) (median of \(times.count)), \(String(format: "%.1f", mbps)) MB/s per core")
        print("{\"documents\": \(texts.count), \"bytes\": \(bytes), \"spans\": \(found), \"cpu_seconds\": \(median), \"mb_per_s\": \(mbps)}")
    }
}

func piiCPUSeconds() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}
