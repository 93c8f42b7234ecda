import WinnowCore

/// How a detected value is replaced.
public enum PIIReplacement: Sendable, Hashable {
    /// Leave the text alone (still counted, reported in metadata and in `max_hits`).
    case keep
    /// `<EMAIL_ADDRESS>`.
    case tag
    /// A fixed fake value; with several, the value is picked by a hash of the match, so the same match is
    /// always replaced by the same fake whatever the order of documents (datatrove cycles through its list).
    case fake([String])
    /// `<EMAIL_ADDRESS:1f3a...>`: the first 16 hex digits of SHA-256(salt + value), the same for the same value.
    case hash(salt: String)
}

/// The `pii` stage: finds PII with `PIIScanner` and replaces it; optionally records the spans in metadata
/// and excludes documents with too many hits.
///
/// YAML:
/// ```yaml
/// - pii:
///     mode: tag                 # default for every type: tag | fake | hash | keep | off
///     email: fake               # per type: email ip phone credit_card iban us_ssn secret crypto
///     fake_email: [email@example.com, firstname.lastname@example.org]
///     salt: s3cret              # for hash
///     public_ips_only: true
///     spans_field: pii_spans    # metadata field for [{type, start, end}]; "" = none
///     max_hits: 5               # > 0: exclude documents with more hits (reason too_much_pii)
/// ```
public struct PIIStage: DocumentStage, RegisteredStage, Sendable {
    public static let stageName = "pii"
    public static let summary = "find and replace e-mails, IPs, phones, cards, IBANs, SSNs, secrets and crypto addresses"

    public var scanner: PIIScanner
    /// Replacement per type, indexed by `PIIType.rawValue`.
    public var replacements: [PIIReplacement]
    public var spansField: String
    public var maxHits: Int
    var spans: [PIISpan] = []
    var out: [UInt8] = []

    public init(scanner: PIIScanner = PIIScanner(), replacements: [PIIType: PIIReplacement] = [:], defaultReplacement: PIIReplacement = .tag,
                spansField: String = "", maxHits: Int = 0) {
        self.scanner = scanner
        self.replacements = PIIType.allCases.map { replacements[$0] ?? defaultReplacement }
        self.spansField = spansField
        self.maxHits = maxHits
    }

    static let modes = ["tag", "fake", "hash", "keep", "off"]

    public static let parameters: [ParameterDeclaration] = [
        .choice("mode", modes, default: "tag", "how every type is replaced: a `<TYPE>` tag, a fake value, a salted hash, kept, or not detected (off)"),
    ] + PIIType.allCases.map {
        .choice($0.key, modes, .absent("mode"), "how \($0.label) values are replaced")
    } + PIIType.allCases.map {
        .stringList("fake_" + $0.key, default: [$0.defaultFake], "the fake \($0.label) values (picked by a hash of the match)")
    } + [
        .string("salt", default: "", "prefix of the hashed value, for mode hash"),
        .bool("public_ips_only", default: true, "detect only public IP addresses (not 10.x, 192.168.x, loopback...)"),
        .string("spans_field", default: "", "metadata key for the found spans [{type, start, end}] (empty: not written)"),
        .int("max_hits", default: 0, "exclude documents with more hits than this (too_much_pii; 0: off)"),
    ]

    public static func makeFactory(_ p: StageParameters) throws -> StageFactory {
        let defaultMode = try p.choice("mode")
        let salt = try p.string("salt")
        var enabled: [PIIType] = []
        var replacements: [PIIType: PIIReplacement] = [:]
        for type in PIIType.allCases {
            let mode = try p.optionalChoice(type.key) ?? defaultMode
            let fakes = try p.stringList("fake_" + type.key)
            if fakes.isEmpty { throw p.error("fake_" + type.key, "fake_\(type.key) must not be empty") }
            switch mode {
            case "off": continue
            case "tag": replacements[type] = .tag
            case "fake": replacements[type] = .fake(fakes)
            case "hash": replacements[type] = .hash(salt: salt)
            default: replacements[type] = .keep
            }
            enabled.append(type)
        }
        let publicOnly = try p.bool("public_ips_only")
        let field = try p.string("spans_field")
        let maxHits = try p.int("max_hits")
        if maxHits < 0 { throw p.error("max_hits", "max_hits must be 0 (off) or more") }
        let stage = PIIStage(scanner: PIIScanner(types: PIITypeSet(enabled), publicIPsOnly: publicOnly), replacements: replacements,
                             spansField: field, maxHits: maxHits)
        return StageFactory { stage }
    }

    public mutating func process(_ document: inout Document, stats: inout StageStats) -> StageDecision {
        spans.removeAll(keepingCapacity: true)
        document.text.withUnsafeBufferPointer { scanner.scan($0, into: &spans) }
        if spans.isEmpty { return .keep }
        for s in spans { stats.count("pii:" + s.type.label) }
        if maxHits > 0 && spans.count > maxHits { return .exclude(reason: "too_much_pii") }
        var reported: [JSONValue] = []
        let wantSpans = !spansField.isEmpty
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(document.text.count)
        var copied = 0
        // Scalar offsets: count scalars incrementally over the input (and over what we write).
        var scalarsIn = 0  // scalars of the output so far
        var changed = false
        document.text.withUnsafeBufferPointer { text in
            for s in spans {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: text[copied..<s.start]))
                if wantSpans { scalarsIn += Self.scalars(UnsafeBufferPointer(rebasing: text[copied..<s.start])) }
                let outStart = out.count
                switch replacements[Int(s.type.rawValue)] {
                case .keep:
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: text[s.start..<s.end]))
                case .tag:
                    out.append(UInt8(ascii: "<")); out.append(contentsOf: s.type.label.utf8); out.append(UInt8(ascii: ">"))
                    changed = true
                case .fake(let values):
                    let v = values.count == 1 ? values[0] : values[Int(Self.fnv(UnsafeBufferPointer(rebasing: text[s.start..<s.end])) % UInt64(values.count))]
                    out.append(contentsOf: v.utf8)
                    changed = true
                case .hash(let salt):
                    let digest = SHA256.hash(Array(salt.utf8) + Array(UnsafeBufferPointer(rebasing: text[s.start..<s.end])))
                    out.append(UInt8(ascii: "<")); out.append(contentsOf: s.type.label.utf8); out.append(UInt8(ascii: ":"))
                    let hexDigits = Array("0123456789abcdef".utf8)
                    for b in digest.prefix(8) { out.append(hexDigits[Int(b >> 4)]); out.append(hexDigits[Int(b & 15)]) }
                    out.append(UInt8(ascii: ">"))
                    changed = true
                }
                copied = s.end
                if wantSpans {
                    let len = out.withUnsafeBufferPointer { Self.scalars(UnsafeBufferPointer(rebasing: $0[outStart...])) }
                    reported.append(.object(["type": .string(s.type.label), "start": .number(JSONNumber(scalarsIn)),
                                             "end": .number(JSONNumber(scalarsIn + len))]))
                    scalarsIn += len
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: text[copied...]))
        }
        if changed { swap(&document.text, &out) }
        if wantSpans { document.metadata[spansField] = .array(reported) }
        return .keep
    }

    static func scalars(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        var k = 0
        for x in b where x & 0xC0 != 0x80 { k += 1 }
        return k
    }

    static func fnv(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for x in b { h = (h ^ UInt64(x)) &* 0x100_0000_01b3 }
        return h
    }
}
