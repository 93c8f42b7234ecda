/// How the records of a spill are laid out, sorted and combined.
///
/// A record is a run of `Word`s: a fixed number of them (`SpillRecordLayout.fixed`) or any number
/// (`SpillRecordLayout.lengthPrefixed`). The order decides which record comes first and, for records with the
/// same key, whether they fold into one (counts adding up) or both stay.
///
/// The sorted output is a function of the records alone, never of where the spills fell, as long as `less`
/// is a strict total order on keys and `combine` is associative and commutative (a sum is).
public protocol SpillRecordOrder {
    /// The unit of a record: `UInt32` for n-gram ids, `UInt8` for byte strings, `UInt64` for hashes.
    associatedtype Word: FixedWidthInteger

    /// Whether record `a` sorts before record `b`.
    func less(_ a: UnsafeBufferPointer<Word>, _ b: UnsafeBufferPointer<Word>) -> Bool

    /// When `a` and `b` have the same key, folds `b` into `a` (for example adds its count) and returns true;
    /// otherwise leaves `a` as it is and returns false, and both records are kept.
    func combine(_ a: UnsafeMutableBufferPointer<Word>, _ b: UnsafeBufferPointer<Word>) -> Bool
}

extension SpillRecordOrder {
    /// Keys are unique, or equal keys are all kept.
    @inlinable
    public func combine(_ a: UnsafeMutableBufferPointer<Word>, _ b: UnsafeBufferPointer<Word>) -> Bool { false }
}

/// How records are stored in a run file.
public enum SpillRecordLayout: Sendable, Equatable {
    /// Every record has this many words; the file is the records back to back, in native byte order.
    case fixed(words: Int)
    /// Records of any length; each is its word count (LEB128) followed by its words in native byte order.
    case lengthPrefixed
}

/// A spill file that cannot be created, written or read back.
public struct SpillError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
