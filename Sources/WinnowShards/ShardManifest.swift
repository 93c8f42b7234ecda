import Foundation
import WinnowCore
import WinnowIO

/// `manifest.json` of a shard set: what went into it and how to check it. Paths are relative to the manifest's
/// directory. `winnow shards verify` rechecks every size, checksum and index against it.
public struct ShardManifest: Sendable {
    /// Winnow's version, recorded in every manifest.
    public static let winnowVersion = "0.1.0-dev"

    /// A source of the documents: what it had, and with `mix:` what was asked and taken.
    public struct Source: Sendable, Equatable {
        public var name: String
        /// Documents and tokens available.
        public var documents: Int
        public var tokens: Int
        public var requestedTokens: Int?
        public var requestedShare: Double?
        public var achievedTokens: Int?
        public var achievedDocuments: Int?
        public var achievedShare: Double?
        /// Achieved tokens over available tokens (above 1: up-sampled); with a validation split, over the tokens
        /// left for training.
        public var epochs: Double?
        /// With a validation split: the tokens asked for, and the documents and tokens held out (part of
        /// `documents` and `tokens`).
        public var validationRequestedTokens: Int?
        public var validationDocuments: Int?
        public var validationTokens: Int?

        public init(name: String, documents: Int, tokens: Int) {
            self.name = name
            self.documents = documents
            self.tokens = tokens
        }
    }

    public var format: ShardFormat
    public var dtype: TokenDType
    public var shardTokens: Int
    public var shuffle: Bool
    public var seed: UInt64
    public var bosID: UInt32?
    public var eosID: UInt32?
    public var tokenizer: TokenizerIdentity
    public var shards: [ShardRecord]
    public var sources: [Source] = []
    /// The validation split as configured (`{fraction: F}`, `{tokens: N}`, or "per source"), nil without one.
    public var validationRequest: JSONValue?
    /// The manifests a `winnow shards merge` read (path as given, SHA-256 of the file).
    public var mergedFrom: [(path: String, sha256: String)] = []
    /// The step's canonical configuration (its YAML, as `step.json` records it) and that text's SHA-256.
    public var stepConfiguration: (text: String, sha256: String)?
    public var created = ISO8601DateFormatter().string(from: Date())
    public var winnowVersion = ShardManifest.winnowVersion

    public var tokens: Int { shards.reduce(0) { $0 + $1.tokens } }
    public var documents: Int { shards.reduce(0) { $0 + $1.documents } }

    public init(format: ShardFormat, dtype: TokenDType, shardTokens: Int, shuffle: Bool, seed: UInt64, bosID: UInt32?,
                eosID: UInt32?, tokenizer: TokenizerIdentity, shards: [ShardRecord]) {
        self.format = format
        self.dtype = dtype
        self.shardTokens = shardTokens
        self.shuffle = shuffle
        self.seed = seed
        self.bosID = bosID
        self.eosID = eosID
        self.tokenizer = tokenizer
        self.shards = shards
    }

    public func json() -> String {
        func n(_ i: Int) -> JSONValue { .number(JSONNumber(i)) }
        var o = JSONObject()
        o["format"] = .string(format.rawValue)
        o["dtype"] = .string(dtype.rawValue)
        o["token_bytes"] = n(dtype.size)
        o["tokens"] = n(tokens)
        o["documents"] = n(documents)
        o["shard_tokens"] = n(shardTokens)
        o["shuffle"] = .bool(shuffle)
        o["seed"] = n(Int(seed))
        o["bos_id"] = bosID.map { n(Int($0)) } ?? .null
        o["eos_id"] = eosID.map { n(Int($0)) } ?? .null
        var t = JSONObject()
        t["file"] = .string(tokenizer.file)
        t["sha256"] = .string(tokenizer.sha256)
        t["vocab_size"] = n(tokenizer.vocabSize)
        var specials = JSONObject()
        for s in tokenizer.specialTokens { specials[s.text] = n(s.id) }
        t["special_tokens"] = .object(specials)
        o["tokenizer"] = .object(t)
        o["sources"] = .array(sources.map { s in
            var so = JSONObject()
            so["name"] = .string(s.name)
            so["documents"] = n(s.documents)
            so["tokens"] = n(s.tokens)
            func d(_ x: Double) -> JSONValue { .number(JSONNumber((x * 1e6).rounded() / 1e6)) }
            if let v = s.requestedTokens { so["requested_tokens"] = n(v) }
            if let v = s.requestedShare { so["requested_share"] = d(v) }
            if let v = s.achievedTokens { so["achieved_tokens"] = n(v) }
            if let v = s.achievedDocuments { so["achieved_documents"] = n(v) }
            if let v = s.achievedShare { so["achieved_share"] = d(v) }
            if let v = s.epochs { so["epochs"] = d(v) }
            if let v = s.validationRequestedTokens { so["validation_requested_tokens"] = n(v) }
            if let v = s.validationDocuments { so["validation_documents"] = n(v) }
            if let v = s.validationTokens { so["validation_tokens"] = n(v) }
            return .object(so)
        })
        o["shards"] = .array(shards.map { r in
            var so = JSONObject()
            so["index"] = n(r.index)
            so["role"] = .string(r.role.rawValue)
            so["tokens"] = n(r.tokens)
            so["documents"] = n(r.documents)
            so["files"] = .array(r.files.map { f in
                var fo = JSONObject()
                fo["path"] = .string(f.path)
                fo["bytes"] = n(f.bytes)
                fo["sha256"] = .string(f.sha256)
                return .object(fo)
            })
            return .object(so)
        })
        if let validationRequest {
            let held = shards.filter { $0.role == .validation }
            var v = JSONObject()
            v["requested"] = validationRequest
            v["documents"] = n(held.reduce(0) { $0 + $1.documents })
            v["tokens"] = n(held.reduce(0) { $0 + $1.tokens })
            v["shards"] = .array(held.map { n($0.index) })
            o["validation"] = .object(v)
        }
        if !mergedFrom.isEmpty {
            o["merged_from"] = .array(mergedFrom.map { m in
                var mo = JSONObject()
                mo["manifest"] = .string(m.path)
                mo["sha256"] = .string(m.sha256)
                return .object(mo)
            })
        }
        if let stepConfiguration {
            var c = JSONObject()
            c["configuration"] = .string(stepConfiguration.text)
            c["sha256"] = .string(stepConfiguration.sha256)
            o["step"] = .object(c)
        }
        o["winnow_version"] = .string(winnowVersion)
        o["created"] = .string(created)
        return JSONWriter.prettyString(.object(o)) + "\n"
    }

    /// Reads a manifest; the error names the file and the field.
    public static func load(path: String) throws -> ShardManifest {
        guard let data = FileManager.default.contents(atPath: path) else { throw ShardError("cannot read manifest \(path)") }
        guard let o = (try? JSONParser.parse(Array(data)))?.objectValue else { throw ShardError("\(path) is not a JSON object") }
        func need<T>(_ value: T?, _ field: String) throws -> T {
            guard let value else { throw ShardError("\(path): missing or malformed '\(field)'") }
            return value
        }
        let format = try need(o["format"]?.stringValue.flatMap(ShardFormat.init(rawValue:)), "format")
        let dtype = try need(o["dtype"]?.stringValue.flatMap(TokenDType.init(rawValue:)), "dtype")
        let t = try need(o["tokenizer"]?.objectValue, "tokenizer")
        let tokenizer = TokenizerIdentity(
            file: try need(t["file"]?.stringValue, "tokenizer.file"), sha256: try need(t["sha256"]?.stringValue, "tokenizer.sha256"),
            vocabSize: try need(t["vocab_size"]?.intValue, "tokenizer.vocab_size"),
            specialTokens: (t["special_tokens"]?.objectValue ?? JSONObject()).compactMap { e in e.value.intValue.map { (e.key, $0) } })
        var shards: [ShardRecord] = []
        for (i, s) in try need(o["shards"]?.arrayValue, "shards").enumerated() {
            let so = try need(s.objectValue, "shards[\(i)]")
            var files: [ShardFile] = []
            for f in try need(so["files"]?.arrayValue, "shards[\(i)].files") {
                let fo = try need(f.objectValue, "shards[\(i)].files")
                files.append(ShardFile(path: try need(fo["path"]?.stringValue, "shards[\(i)].files.path"),
                                       bytes: try need(fo["bytes"]?.intValue, "shards[\(i)].files.bytes"),
                                       sha256: try need(fo["sha256"]?.stringValue, "shards[\(i)].files.sha256")))
            }
            shards.append(ShardRecord(index: try need(so["index"]?.intValue, "shards[\(i)].index"),
                                      role: try need(ShardRole(rawValue: so["role"]?.stringValue ?? "train"), "shards[\(i)].role"),
                                      tokens: try need(so["tokens"]?.intValue, "shards[\(i)].tokens"),
                                      documents: try need(so["documents"]?.intValue, "shards[\(i)].documents"), files: files))
        }
        var m = ShardManifest(format: format, dtype: dtype, shardTokens: o["shard_tokens"]?.intValue ?? 0,
                              shuffle: o["shuffle"]?.boolValue ?? false, seed: UInt64(o["seed"]?.intValue ?? 0),
                              bosID: o["bos_id"]?.intValue.map { UInt32($0) }, eosID: o["eos_id"]?.intValue.map { UInt32($0) },
                              tokenizer: tokenizer, shards: shards)
        m.sources = (o["sources"]?.arrayValue ?? []).compactMap { v in
            guard let so = v.objectValue, let name = so["name"]?.stringValue else { return nil }
            var source = Source(name: name, documents: so["documents"]?.intValue ?? 0, tokens: so["tokens"]?.intValue ?? 0)
            source.validationDocuments = so["validation_documents"]?.intValue
            source.validationTokens = so["validation_tokens"]?.intValue
            return source
        }
        m.validationRequest = o["validation"]?.objectValue?["requested"]
        if let c = o["step"]?.objectValue, let text = c["configuration"]?.stringValue, let sha = c["sha256"]?.stringValue {
            m.stepConfiguration = (text, sha)
        }
        m.created = o["created"]?.stringValue ?? ""
        m.winnowVersion = o["winnow_version"]?.stringValue ?? ""
        if let total = o["tokens"]?.intValue, total != m.tokens {
            throw ShardError("\(path): 'tokens' is \(total) but the shards add up to \(m.tokens)")
        }
        if let total = o["documents"]?.intValue, total != m.documents {
            throw ShardError("\(path): 'documents' is \(total) but the shards add up to \(m.documents)")
        }
        return m
    }
}
