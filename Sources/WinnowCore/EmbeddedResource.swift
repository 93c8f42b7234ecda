#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file shipped inside Winnow (a built-in model), found at run time the same way by every module.
///
/// SwiftPM copies a module's resources into a bundle directory next to the executable it builds
/// (`Winnow_<Module>.resources` on Linux, `Winnow_<Module>.bundle` on macOS). An installed `winnow` is the
/// binary plus those directories, copied together anywhere. Places looked at, in order:
///
/// 1. `$WINNOW_RESOURCES/<bundle>/<file>`, when that variable is set (bundles kept apart from the binary);
/// 2. `<directory of the running executable, symlinks resolved>/<bundle>/<file>`.
///
/// There is no fallback to the source tree or to the build directory compiled into the binary, so a copied
/// binary that finds its model really uses the copy.
public struct EmbeddedResource: Sendable {
    /// The module that declares the resource in Package.swift, e.g. `WinnowLangID`.
    public let module: String
    /// The file name inside the bundle, e.g. `winnow-lid.ftz`.
    public let file: String
    /// What the file is, for messages: "the default language-ID model".
    public let what: String

    public init(module: String, file: String, what: String) {
        self.module = module
        self.file = file
        self.what = what
    }

    /// The bundle directory names SwiftPM uses for `module` (Linux first).
    public var bundleNames: [String] { ["Winnow_\(module).resources", "Winnow_\(module).bundle"] }

    /// Every path looked at, in order.
    public var candidates: [String] {
        var directories: [String] = []
        if let env = getenv("WINNOW_RESOURCES"), env.pointee != 0 { directories.append(String(cString: env)) }
        if let executable = Self.executableDirectory() { directories.append(executable) }
        var paths: [String] = []
        for directory in directories {
            for bundle in bundleNames {
                paths.append("\(directory)/\(bundle)/\(file)")
                if bundle.hasSuffix(".bundle") { paths.append("\(directory)/\(bundle)/Contents/Resources/\(file)") }
            }
        }
        return paths
    }

    /// The first candidate that exists, or an error naming every place looked at.
    public func locate() throws(EmbeddedResourceError) -> String {
        let places = candidates
        for path in places where access(path, R_OK) == 0 { return path }
        throw EmbeddedResourceError(resource: self, searched: places)
    }

    /// The directory of the running executable, with symlinks resolved.
    static func executableDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        #if os(Linux)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        buffer[n] = 0
        #elseif canImport(Darwin)
        var size = UInt32(buffer.count)
        guard _NSGetExecutablePath(&buffer, &size) == 0 else { return nil }
        var resolved = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        if realpath(buffer, &resolved) != nil { buffer = resolved }
        #endif
        let path = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

/// A built-in resource that is not where an installed Winnow keeps it.
public struct EmbeddedResourceError: Error, CustomStringConvertible, Sendable {
    public let resource: EmbeddedResource
    public let searched: [String]

    public var description: String {
        "\(resource.what) (\(resource.file)) was not found; looked in: \(searched.joined(separator: ", ")). "
            + "Install the winnow binary together with the resource directories built next to it "
            + "(\(resource.bundleNames[0]) and the other Winnow_*.resources), or set WINNOW_RESOURCES to the "
            + "directory that holds them."
    }
}
