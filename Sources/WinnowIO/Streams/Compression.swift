/// How a file is compressed.
public enum Compression: String, Sendable, CaseIterable {
    case none
    case gzip
    case zstd

    /// From an extension without the dot: `gz`/`gzip` and `zst`/`zstd`; nil for anything else.
    public init?(fileExtension: String) {
        switch fileExtension.lowercased() {
        case "gz", "gzip": self = .gzip
        case "zst", "zstd": self = .zstd
        default: return nil
        }
    }

    /// From a path's last extension (`out.jsonl.zst` is zstd); `.none` when it names no compression.
    public init(path: String) {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        if let dot = name.lastIndex(of: "."), let compression = Compression(fileExtension: String(name[name.index(after: dot)...])) {
            self = compression
        } else {
            self = .none
        }
    }

    /// From a file's first bytes: gzip `1f 8b`, zstd `28 b5 2f fd`, else `.none`.
    public init(magic: some Collection<UInt8>) {
        let bytes = Array(magic.prefix(4))
        if bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b {
            self = .gzip
        } else if bytes == [0x28, 0xb5, 0x2f, 0xfd] {
            self = .zstd
        } else {
            self = .none
        }
    }

    /// The extension with its dot that names this compression (`""` for none).
    public var fileSuffix: String {
        switch self {
        case .none: ""
        case .gzip: ".gz"
        case .zstd: ".zst"
        }
    }

    /// The default level: 6 for gzip, 3 for zstd.
    public var defaultLevel: Int {
        switch self {
        case .none: 0
        case .gzip: 6
        case .zstd: 3
        }
    }
}

/// Creates (truncating) a file and returns a sink that compresses into it.
/// `level` defaults to the compression's `defaultLevel`.
public func createByteSink(path: String, compression: Compression, level: Int? = nil) throws -> ByteSink {
    switch compression {
    case .none: return try FileByteSink(path: path)
    case .gzip: return try GzipByteSink(path: path, level: level ?? compression.defaultLevel)
    case .zstd: return try ZstdByteSink(path: path, level: level ?? compression.defaultLevel)
    }
}
