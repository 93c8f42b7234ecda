import Foundation

/// Plain words for a file-system error from Foundation (`NSCocoaErrorDomain` codes and the POSIX error
/// beneath them): what failed and on which path, e.g. "cannot create output/x: permission denied".
/// Errors that are not Foundation's are described as they are.
public func plainDescription(of error: any Error) -> String {
    let ns = error as NSError
    guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else { return "\(error)" }
    let path = (ns.userInfo[NSFilePathErrorKey] as? String)
        ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
        ?? (ns.userInfo["NSDestinationFilePath"] as? String)
    let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError
    let posix = ns.domain == NSPOSIXErrorDomain ? ns : underlying?.domain == NSPOSIXErrorDomain ? underlying : nil
    let reason = posix.map { String(cString: strerror(Int32($0.code))).lowercased() }
    let action: String
    switch ns.code {
    case NSFileNoSuchFileError, NSFileReadNoSuchFileError: action = "cannot find"
    case NSFileReadNoPermissionError: action = "no permission to read"
    case NSFileWriteNoPermissionError: action = "no permission to write"
    case NSFileWriteOutOfSpaceError: action = "no space left on the device to write"
    case NSFileWriteVolumeReadOnlyError: action = "the file system is read-only: cannot write"
    case NSFileWriteFileExistsError: action = "already exists, cannot create"
    case NSFileReadCorruptFileError, NSFileReadInapplicableStringEncodingError: action = "cannot read the content of"
    case NSFileReadUnknownError, NSFileReadTooLargeError, NSFileReadInvalidFileNameError: action = "cannot read"
    case NSFileWriteUnknownError, NSFileWriteInvalidFileNameError, NSFileWriteInapplicableStringEncodingError: action = "cannot write"
    case NSFileLockingError: action = "cannot lock"
    default: action = "file-system operation failed on"
    }
    let target = path.map { " \($0)" } ?? " a file (the system did not say which)"
    return action + target + ((reason ?? path.flatMap(diagnose)).map { ": \($0)" } ?? "")
}

/// Why `path` cannot be created or written, found by looking at it and its parents, when the system
/// gave no reason: a parent that is a file, or a parent that cannot be written.
private func diagnose(_ path: String) -> String? {
    var ancestor = (path as NSString).deletingLastPathComponent
    while !ancestor.isEmpty && ancestor != "/" {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: ancestor, isDirectory: &isDirectory) {
            if !isDirectory.boolValue { return "\(ancestor) is a file, not a directory" }
            if !FileManager.default.isWritableFile(atPath: ancestor) { return "\(ancestor) is not writable" }
            return nil
        }
        ancestor = (ancestor as NSString).deletingLastPathComponent
    }
    return nil
}
