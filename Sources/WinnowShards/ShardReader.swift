import Foundation

/// Reads one shard back the way its trainer does, checking its structure on the way: Megatron's `.idx`
/// (header, pointers = running sum of lengths × item size, document indices 0...n, `.bin` size), llm.c's header
/// (magic, version, token count = file size), datatrove's `.ds.index` (increasing ends, the last = `.ds` size),
/// the memmap's `.csv` offsets (contiguous, the last = `.npy` size). Documents are `ends[i-1]..<ends[i]`.
public struct ShardReader {
    public let format: ShardFormat
    public let dtype: TokenDType
    /// The data file.
    public let path: String
    /// Bytes before the first token (llm.c's header).
    let headerBytes: Int
    /// Cumulative token ends of the documents.
    public let ends: [Int]

    public var documents: Int { ends.count }
    public var tokens: Int { ends.last ?? 0 }

    /// Opens the shard whose data file is `path`. `dtype` is needed for a memmap (it has no header) and `eot` for
    /// llm.c (its documents are where the EOT tokens are); a manifest beside the shard gives both.
    public init(path: String, manifest: ShardManifest?) throws {
        self.path = path
        func bytes(_ p: String) throws -> [UInt8] {
            guard let d = FileManager.default.contents(atPath: p) else { throw ShardError("cannot read \(p)") }
            return Array(d)
        }
        let size = fileSize(path)
        guard size >= 0 else { throw ShardError("cannot read \(path)") }
        if path.hasSuffix(".ds") {
            format = .datatrove
            if let manifest { dtype = manifest.dtype } else { dtype = try Self.datatroveTokenSize(path + ".metadata") == 4 ? .uint32 : .uint16 }
            let index = try bytes(path + ".index")
            guard index.count % 8 == 0 else { throw ShardError("\(path).index: \(index.count) bytes is not a list of uint64") }
            ends = index.withUnsafeBytes { raw in (0..<(raw.count / 8)).map { Int(raw.loadLE(UInt64.self, at: $0 * 8)) } }
            headerBytes = 0
        } else if path.hasSuffix(".npy") {
            format = .memmap
            guard let manifest else { throw ShardError("\(path): a memmap has no header; its manifest.json (for the dtype) must be beside it") }
            dtype = manifest.dtype
            let csv = String(decoding: try bytes(String(path.dropLast(4)) + ".csv"), as: UTF8.self)
            var ends: [Int] = []
            for (i, line) in csv.split(separator: "\n").enumerated() {
                let fields = line.split(separator: ",")
                guard fields.count == 2, let start = Int(fields[0]), let end = Int(fields[1]), start == (ends.last ?? 0), end > start else {
                    throw ShardError("\(String(path.dropLast(4))).csv:\(i + 1): offsets are not contiguous `start,end` rows")
                }
                ends.append(end)
            }
            self.ends = ends
            headerBytes = 0
        } else if path.hasSuffix(".bin"), FileManager.default.fileExists(atPath: String(path.dropLast(4)) + ".idx") {
            format = .megatron
            let idxPath = String(path.dropLast(4)) + ".idx"
            let idx = try bytes(idxPath)
            (dtype, ends) = try Self.megatronIndex(idx, path: idxPath)
            headerBytes = 0
        } else if path.hasSuffix(".bin") {
            format = .llmc
            let header = try bytes(path).prefix(1024)
            guard header.count == 1024 else { throw ShardError("\(path): shorter than llm.c's 1024-byte header") }
            let (magic, version, count) = Array(header).withUnsafeBytes {
                ($0.loadLE(Int32.self, at: 0), $0.loadLE(Int32.self, at: 4), Int($0.loadLE(Int32.self, at: 8)))
            }
            switch (magic, version) {
            case (20240520, 1): dtype = .uint16
            case (20240801, 7): dtype = .uint32
            default: throw ShardError("\(path): llm.c header magic \(magic) version \(version) is neither [20240520, 1] nor [20240801, 7]")
            }
            guard size == 1024 + count * dtype.size else {
                throw ShardError("\(path): header says \(count) tokens (\(1024 + count * dtype.size) bytes) but the file has \(size) bytes")
            }
            headerBytes = 1024
            guard let eot = manifest?.bosID else { throw ShardError("\(path): llm.c documents start at EOT; its manifest.json (for the EOT id) must be beside it") }
            // A document starts at each EOT.
            var ends: [Int] = []
            let all = try Self.readTokens(path: path, headerBytes: 1024, dtype: dtype, range: 0..<count)
            for (i, t) in all.enumerated() where t == eot && i > 0 { ends.append(i) }
            if count > 0 { ends.append(count) }
            self.ends = ends
        } else {
            throw ShardError("\(path): not a shard (.bin with or without .idx, .ds or .npy)")
        }
        var previous = 0
        for (i, end) in ends.enumerated() {
            guard end >= previous else { throw ShardError("\(path): document \(i) ends at \(end), before its start \(previous)") }
            previous = end
        }
        guard size == headerBytes + tokens * dtype.size else {
            throw ShardError("\(path) has \(size) bytes; its index says \(tokens) tokens of \(dtype.size) bytes (\(headerBytes + tokens * dtype.size) bytes): truncated or extended")
        }
    }

    /// The tokens of document `n`.
    public func document(_ n: Int) throws -> [UInt32] {
        guard n >= 0, n < ends.count else { throw ShardError("\(path) has \(ends.count) documents; there is no document \(n)") }
        return try Self.readTokens(path: path, headerBytes: headerBytes, dtype: dtype, range: (n == 0 ? 0 : ends[n - 1])..<ends[n])
    }

    /// The length of each document in tokens.
    public var lengths: [Int] { ends.indices.map { ends[$0] - ($0 == 0 ? 0 : ends[$0 - 1]) } }

    static func readTokens(path: String, headerBytes: Int, dtype: TokenDType, range: Range<Int>) throws -> [UInt32] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ShardError("cannot open \(path)") }
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(headerBytes + range.lowerBound * dtype.size))
        let data = try handle.read(upToCount: range.count * dtype.size) ?? Data()
        guard data.count == range.count * dtype.size else { throw ShardError("\(path) ends early") }
        return data.withUnsafeBytes { raw in
            (0..<range.count).map { i in
                switch dtype {
                case .uint16: UInt32(raw.loadLE(UInt16.self, at: i * 2))
                case .uint32, .int32: raw.loadLE(UInt32.self, at: i * 4)
                }
            }
        }
    }

    static func megatronIndex(_ idx: [UInt8], path: String) throws -> (TokenDType, [Int]) {
        try idx.withUnsafeBytes { raw in
            guard raw.count >= 34, Array(idx[0..<9]) == Array("MMIDIDX".utf8) + [0, 0] else {
                throw ShardError("\(path): not a Megatron index (no MMIDIDX header)")
            }
            guard raw.loadLE(UInt64.self, at: 9) == 1 else { throw ShardError("\(path): index version is not 1") }
            let dtype: TokenDType
            switch raw[17] {
            case 8: dtype = .uint16
            case 4: dtype = .int32
            default: throw ShardError("\(path): dtype code \(raw[17]) is not uint16 (8) or int32 (4)")
            }
            let sequences = Int(raw.loadLE(UInt64.self, at: 18))
            let documents = Int(raw.loadLE(UInt64.self, at: 26))
            guard documents == sequences + 1 else {
                throw ShardError("\(path): \(documents) document indices for \(sequences) sequences (expected one per sequence plus one)")
            }
            guard raw.count == 34 + sequences * 4 + sequences * 8 + documents * 8 else {
                throw ShardError("\(path) has \(raw.count) bytes; \(sequences) sequences need \(34 + sequences * 20 + documents * 8)")
            }
            var ends: [Int] = []
            var pointer = 0
            for i in 0..<sequences {
                let length = Int(raw.loadLE(Int32.self, at: 34 + i * 4))
                let p = Int(raw.loadLE(Int64.self, at: 34 + sequences * 4 + i * 8))
                guard p == pointer else { throw ShardError("\(path): sequence \(i) pointer \(p), expected \(pointer) (running sum of lengths × \(dtype.size))") }
                guard length >= 0 else { throw ShardError("\(path): sequence \(i) has length \(length)") }
                pointer += length * dtype.size
                ends.append((ends.last ?? 0) + length)
            }
            for i in 0..<documents {
                let d = Int(raw.loadLE(Int64.self, at: 34 + sequences * 12 + i * 8))
                guard d == i else { throw ShardError("\(path): document index \(i) is \(d), expected \(i)") }
            }
            return (dtype, ends)
        }
    }

    static func datatroveTokenSize(_ metadataPath: String) throws -> Int {
        guard let data = FileManager.default.contents(atPath: metadataPath),
              let first = String(decoding: data, as: UTF8.self).split(separator: "\n").first,
              let size = first.split(separator: "|").last.flatMap({ Int($0) }) else {
            throw ShardError("\(metadataPath): expected `tokenizer|token_size` on its first line")
        }
        return size
    }
}

/// Rechecks a shard set against its manifest.
public enum ShardVerifier {
    /// Every mismatch, one sentence each (empty: the set is intact): a missing file, a size or SHA-256 that differs,
    /// an index that does not parse or disagrees with the manifest's counts, a token id outside the vocabulary.
    public static func verify(manifestPath: String) -> [String] {
        let manifest: ShardManifest
        do { manifest = try ShardManifest.load(path: manifestPath) } catch { return ["\(error)"] }
        let directory = URL(fileURLWithPath: manifestPath).deletingLastPathComponent().path
        var problems: [String] = []
        let tokenizerPath = directory + "/" + manifest.tokenizer.file
        if let sha = try? sha256OfFile(tokenizerPath) {
            if sha != manifest.tokenizer.sha256 { problems.append("\(tokenizerPath): SHA-256 \(sha), the manifest says \(manifest.tokenizer.sha256)") }
        } else {
            problems.append("\(tokenizerPath): missing (the manifest's tokenizer)")
        }
        for shard in manifest.shards {
            var intact = true
            for file in shard.files {
                let path = directory + "/" + file.path
                let size = fileSize(path)
                if size < 0 { problems.append("\(path): missing"); intact = false; continue }
                if size != file.bytes { problems.append("\(path): \(size) bytes, the manifest says \(file.bytes)"); intact = false }
                if let sha = try? sha256OfFile(path), sha != file.sha256 {
                    problems.append("\(path): SHA-256 \(sha), the manifest says \(file.sha256) (the file changed)")
                    intact = false
                }
            }
            guard let data = shard.files.first else { problems.append("shard \(shard.index): no files"); continue }
            let path = directory + "/" + data.path
            do {
                let reader = try ShardReader(path: path, manifest: manifest)
                if reader.format != manifest.format { problems.append("\(path): reads as \(reader.format.rawValue), the manifest says \(manifest.format.rawValue)") }
                if reader.dtype != manifest.dtype { problems.append("\(path): dtype \(reader.dtype.rawValue), the manifest says \(manifest.dtype.rawValue)") }
                if reader.tokens != shard.tokens { problems.append("\(path): \(reader.tokens) tokens, the manifest says \(shard.tokens)") }
                if reader.documents != shard.documents { problems.append("\(path): \(reader.documents) documents, the manifest says \(shard.documents)") }
                if intact {
                    // In blocks of 1M tokens, so memory does not grow with the shard.
                    for start in stride(from: 0, to: reader.tokens, by: 1 << 20) {
                        let block = try ShardReader.readTokens(path: path, headerBytes: reader.headerBytes, dtype: reader.dtype,
                                                               range: start..<min(reader.tokens, start + (1 << 20)))
                        if let bad = block.first(where: { Int($0) >= manifest.tokenizer.vocabSize }) {
                            problems.append("\(path): token id \(bad) is outside the vocabulary (\(manifest.tokenizer.vocabSize) ids)")
                            break
                        }
                    }
                }
            } catch {
                problems.append("\(error)")
            }
        }
        return problems
    }
}
