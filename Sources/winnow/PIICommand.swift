import ArgumentParser
import Foundation
import WinnowCore
import WinnowIO
import WinnowPII

/// `winnow pii ...`: PII tools.
struct PIICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pii", abstract: "PII detection tools.", subcommands: [PIIScanCommand.self])
}

/// What `pii scan` detects and how it reads.
struct PIIInputOptions: ParsableArguments {
    @OptionGroup var documents: DocumentInputOptions

    @Option(help: "Comma-separated types to detect (email, ip, phone, credit_card, iban, us_ssn, secret, crypto); default all.")
    var types: String?

    @Flag(help: "Report private and reserved IP addresses too (default: only global ones).")
    var allIps = false

    func validate() throws {
        for name in (types ?? "").split(separator: ",") where PIIType(name: String(name).trimmingCharacters(in: .whitespaces)) == nil {
            throw ValidationError("unknown PII type '\(name)' in --types (known: \(PIIType.allCases.map(\.key).joined(separator: ", ")))")
        }
    }

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
        try reportingErrors {
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
        }
        stdout.write(Data(out))
    }
}
