/// A tokenizer file that cannot be read, written or understood; the description says which and why.
public struct TokenizerFileError: Error, CustomStringConvertible {
    public let description: String
}

func makeDirectory(_ path: String) throws {
    if mkdir(path, 0o755) != 0 && errno != EEXIST {
        throw TokenizerFileError(description: "cannot create \(path): \(String(cString: strerror(errno)))")
    }
}

func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw TokenizerFileError(description: "cannot create \(path): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var written = 0
    try bytes.withUnsafeBytes { buffer in
        while written < buffer.count {
            let n = write(fd, buffer.baseAddress! + written, buffer.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                throw TokenizerFileError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            written += n
        }
    }
}

/// The whole content of the file at `path`.
func readFile(_ path: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw TokenizerFileError(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw TokenizerFileError(description: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        if n == 0 { return out }
        out += chunk[..<n]
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
