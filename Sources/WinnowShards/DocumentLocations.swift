import Foundation

/// Where each document's tokens are on disk: a file (the encode phase's uint32 `.tokens`, or an existing shard's
/// data file), the document's first token in it, and its length. `ShardSetWriter` copies documents from here.
struct DocumentLocations {
    /// A file of little-endian tokens after `headerBytes` bytes.
    struct TokenFile {
        var path: String
        var headerBytes: Int
        var dtype: TokenDType
    }

    var files: [TokenFile] = []
    /// Per document: index into `files`, first token (in tokens from the header's end), length in tokens.
    var file: [Int32] = []
    var offset: [Int64] = []
    var length: [Int32] = []

    var count: Int { length.count }

    mutating func append(file f: Int, offset o: Int, length n: Int) {
        file.append(Int32(f))
        offset.append(Int64(o))
        length.append(Int32(n))
    }
}
