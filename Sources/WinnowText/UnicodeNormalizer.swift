@_implementationOnly import CICU

/// A Unicode normalization form (UAX #15), named as in pipeline YAML.
public enum NormalizationForm: String, Sendable, CaseIterable {
    case nfc
    case nfkc
    case nfd
    case nfkd
    /// NFKC, then full case folding and removal of default-ignorable code points (ICU's `nfkc_cf`).
    case nfkcCasefold = "nfkc_casefold"
}

/// Normalizes UTF-8 text with ICU.
///
/// Already-normalized text costs one scan and is returned as is: ASCII (and for NFC, everything below
/// U+0300, so most European text) is recognized by a byte scan without ICU; anything else is converted to UTF-16 and checked with ICU's quick check; only the part after the
/// normalized prefix is normalized. The instance keeps its UTF-16 and UTF-8 scratch buffers between calls,
/// so it is not thread-safe: create one per task (creation is cheap, the ICU data is shared).
///
/// Input should be valid UTF-8 (as `Document.text` is); ill-formed bytes become U+FFFD only in text that is
/// rewritten anyway.
/// Texts above 512 MiB are returned unchanged (ICU's lengths are 32-bit).
public final class UnicodeNormalizer {
    public let form: NormalizationForm
    private let normalizer: OpaquePointer
    private var utf16 = Scratch<UInt16>()
    private var normalized = Scratch<UInt16>()
    private var utf8 = Scratch<CChar>()

    public init(form: NormalizationForm) {
        self.form = form
        let index: Int32
        switch form {
        case .nfc: index = 0
        case .nfkc: index = 1
        case .nfd: index = 2
        case .nfkd: index = 3
        case .nfkcCasefold: index = 4
        }
        var err = U_ZERO_ERROR
        guard let instance = winnow_unorm2_instance(index, &err), err.rawValue <= U_ZERO_ERROR.rawValue else {
            fatalError("ICU normalization data for \(form.rawValue) is missing: \(String(cString: winnow_u_errorName(err)))")
        }
        normalizer = instance
    }

    deinit {
        utf16.free()
        normalized.free()
        utf8.free()
    }

    /// `text` in this normalization form; the same array (no copy) when it already was.
    public func normalize(_ text: [UInt8]) -> [UInt8] {
        normalizeIfChanged(text) ?? text
    }

    /// `text` in this normalization form, or `nil` when it already was (the normalized bytes are equal).
    public func normalizeIfChanged(_ text: [UInt8]) -> [UInt8]? {
        text.withUnsafeBytes { normalizeIfChanged($0) }
    }

    /// The bytes in this normalization form, or `nil` when they already were.
    public func normalizeIfChanged(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
        let n = text.count
        guard let base = text.baseAddress, n > 0, n <= 512 << 20 else { return nil }
        if isUnchangedByScan(text) { return nil }

        utf16.reserve(n)
        var err = U_ZERO_ERROR
        let length16 = winnow_u_strFromUTF8(utf16.base, Int32(utf16.capacity), base.assumingMemoryBound(to: CChar.self),
                                            Int32(n), &err)
        guard err.rawValue <= U_ZERO_ERROR.rawValue else { return nil }
        let span = winnow_unorm2_spanQuickCheckYes(normalizer, utf16.base, length16, &err)
        guard err.rawValue <= U_ZERO_ERROR.rawValue else { return nil }
        if span == length16 { return nil }

        // The quick-check prefix is normalized; normalize the rest and append it at a safe boundary.
        var capacity = Int(length16) + Int(length16) / 2 + 64
        var length: Int32
        while true {
            normalized.reserve(capacity)
            normalized.base.update(from: utf16.base, count: Int(span))
            err = U_ZERO_ERROR
            length = winnow_unorm2_normalizeSecondAndAppend(normalizer, normalized.base, span,
                                                            Int32(normalized.capacity), utf16.base + Int(span),
                                                            length16 - span, &err)
            if err == U_BUFFER_OVERFLOW_ERROR, Int(length) >= capacity {
                capacity = Int(length) + 16
                continue
            }
            guard err.rawValue <= U_ZERO_ERROR.rawValue else { return nil }
            break
        }

        utf8.reserve(Int(length) * 3 + 16)
        err = U_ZERO_ERROR
        let length8 = Int(winnow_u_strToUTF8(utf8.base, Int32(utf8.capacity), normalized.base, length, &err))
        guard err.rawValue <= U_ZERO_ERROR.rawValue else { return nil }
        let out = UnsafeRawBufferPointer(start: utf8.base, count: length8)
        if length8 == n && bytesEqual(out, text) { return nil }
        return Array(out)
    }

    /// Whether `text` is in this normalization form.
    public func isNormalized(_ text: [UInt8]) -> Bool {
        normalizeIfChanged(text) == nil
    }

    // MARK: Internals

    /// Text that no form can change, found by a byte scan without ICU: under NFD, NFKC and NFKD pure
    /// ASCII; under NFC every code point below U+0300 (no byte from 0xCC up: the first combining mark is
    /// U+0300, CC 80, and nothing below it is NFC_Quick_Check No or Maybe); under NFKC_Casefold ASCII
    /// without A-Z.
    private func isUnchangedByScan(_ text: UnsafeRawBufferPointer) -> Bool {
        let p = text.baseAddress!
        let n = text.count
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high = 0x80 &* ones
        var i = 0
        switch form {
        case .nfd, .nfkc, .nfkd:
            return UTF8Validation.asciiPrefixLength(text) == n
        case .nfc:
            // A byte b is >= 0xCC when its high bit is set and (b & 0x7F) + 0x34 reaches 0x80.
            while i + 8 <= n {
                let w = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                if ((w & ~high) &+ 0x34 &* ones) & w & high != 0 { return false }
                i += 8
            }
            while i < n {
                if p.load(fromByteOffset: i, as: UInt8.self) >= 0xCC { return false }
                i += 1
            }
            return true
        case .nfkcCasefold:
            while i + 8 <= n {
                let w = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                if w & high != 0 { return false }
                // Bytes in 0x41...0x5A: adding 0x3F sets the high bit from 0x41 up, adding 0x25 from 0x5B up.
                if ((w &+ 0x3F &* ones) & ~(w &+ 0x25 &* ones)) & high != 0 { return false }
                i += 8
            }
            while i < n {
                let b = p.load(fromByteOffset: i, as: UInt8.self)
                if b >= 0x80 || (b >= 0x41 && b <= 0x5A) { return false }
                i += 1
            }
            return true
        }
    }

    private func bytesEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        let n = a.count
        var i = 0
        while i + 8 <= n {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < n {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }
}

/// A growable scratch buffer owned by one normalizer.
private struct Scratch<Element> {
    private(set) var base: UnsafeMutablePointer<Element> = .allocate(capacity: 256)
    private(set) var capacity = 256

    /// Makes room for `count` elements; the contents are not kept.
    mutating func reserve(_ count: Int) {
        guard count > capacity else { return }
        base.deallocate()
        capacity = max(count, capacity * 2)
        base = .allocate(capacity: capacity)
    }

    func free() { base.deallocate() }
}
