@_implementationOnly import CICU

/// Runs an ICU break iterator over UTF-8 bytes (through a UText kept in `text`, reused between calls) and calls
/// `body(start, end)` with the byte range between each two boundaries. Texts of 2 GiB and more, and texts ICU
/// refuses, are one segment.
func forEachICUSegment(_ iterator: OpaquePointer, _ text: inout UnsafeMutablePointer<UText>?,
                       _ bytes: UnsafeBufferPointer<UInt8>, _ body: (Int, Int) -> Void) {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return }
    guard bytes.count < Int(Int32.max) else { body(0, bytes.count); return }
    var err = U_ZERO_ERROR
    let opened = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
        winnow_utext_openUTF8(text, $0, Int64(bytes.count), &err)
    }
    guard let opened, err.rawValue <= U_ZERO_ERROR.rawValue else { body(0, bytes.count); return }
    text = opened
    winnow_ubrk_setUText(iterator, opened, &err)
    guard err.rawValue <= U_ZERO_ERROR.rawValue else { body(0, bytes.count); return }
    var start = Int(winnow_ubrk_first(iterator))
    while true {
        let next = winnow_ubrk_next(iterator)
        if next < 0 { break }
        body(start, Int(next))
        start = Int(next)
    }
}
