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
    default: action = ns.domain == NSPOSIXErrorDomain ? "file-system operation failed on" : "file-system operation failed on"
    }
    let target = path.map { " \($0)" } ?? " a file (the system did not say which)"
    return action + target + (reason.map { ": \($0)" } ?? "")
}
