/// The kinds of personal or secret data the scanner finds.
public enum PIIType: UInt8, CaseIterable, Sendable, Hashable {
    case email
    case ipAddress
    case phone
    case creditCard
    case iban
    case usSSN
    case secret
    case crypto

    /// The tag and report name, as Presidio spells its entities: `EMAIL_ADDRESS`, `IP_ADDRESS`, ...
    public var label: String {
        switch self {
        case .email: "EMAIL_ADDRESS"
        case .ipAddress: "IP_ADDRESS"
        case .phone: "PHONE_NUMBER"
        case .creditCard: "CREDIT_CARD"
        case .iban: "IBAN_CODE"
        case .usSSN: "US_SSN"
        case .secret: "SECRET"
        case .crypto: "CRYPTO"
        }
    }

    /// The short name used in YAML parameters and on the command line: `email`, `ip`, `phone`, ...
    public var key: String {
        switch self {
        case .email: "email"
        case .ipAddress: "ip"
        case .phone: "phone"
        case .creditCard: "credit_card"
        case .iban: "iban"
        case .usSSN: "us_ssn"
        case .secret: "secret"
        case .crypto: "crypto"
        }
    }

    /// The datatrove-compatible fixed fake value (datatrove's first default for e-mail and IP).
    public var defaultFake: String {
        switch self {
        case .email: "email@example.com"
        case .ipAddress: "22.214.171.124"
        case .phone: "555-0100"
        case .creditCard: "0000 0000 0000 0000"
        case .iban: "XX00 0000 0000 0000 0000 00"
        case .usSSN: "000-00-0000"
        case .secret: "REDACTED"
        case .crypto: "REDACTED"
        }
    }

    /// The type named `name` (a `key` or a `label`, any case).
    public init?(name: String) {
        let lower = name.lowercased()
        guard let t = PIIType.allCases.first(where: { $0.key == lower || $0.label.lowercased() == lower }) else { return nil }
        self = t
    }
}

/// A set of types as a bit mask (cheap to test in the scanner's inner loop).
public struct PIITypeSet: Sendable, Hashable {
    public var mask: UInt16
    public init(mask: UInt16) { self.mask = mask }
    public init(_ types: some Sequence<PIIType>) {
        mask = 0
        for t in types { mask |= 1 << t.rawValue }
    }
    public static let all = PIITypeSet(PIIType.allCases)
    @inline(__always) public func contains(_ t: PIIType) -> Bool { mask & (1 << t.rawValue) != 0 }
    public var types: [PIIType] { PIIType.allCases.filter { contains($0) } }
}

/// One detected value: its type and UTF-8 byte offsets `start..<end` in the scanned text.
public struct PIISpan: Sendable, Hashable {
    public var type: PIIType
    public var start: Int
    public var end: Int
    public init(type: PIIType, start: Int, end: Int) {
        self.type = type
        self.start = start
        self.end = end
    }
}
