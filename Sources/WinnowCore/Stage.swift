/// What a stage decided for one document.
public enum StageDecision: Sendable, Equatable {
    /// Pass the (possibly rewritten) document on to the next stage.
    case keep
    /// Remove the document; it goes to this stage's `excluded/` output with the reason.
    case exclude(reason: String)
}

/// Per-document work: a filter (keep or exclude with a reason), a formatter (rewrite the text) or an
/// annotator (add metadata). The executor creates one instance per task from a `StageFactory`, so an
/// instance may keep scratch buffers and is never shared between threads.
///
/// The executor does the bookkeeping: documents and bytes in and out, exclusions per reason, time.
/// A stage only records what is special to it with `stats.count(_:)`.
public protocol DocumentStage {
    /// Decides on one document, rewriting it in place if the stage is a formatter or annotator.
    mutating func process(_ document: inout Document, stats: inout StageStats) -> StageDecision

    /// Called once after a task's last document (flush side outputs here).
    mutating func finish(stats: inout StageStats) throws
}

extension DocumentStage {
    public mutating func finish(stats: inout StageStats) throws {}
}

/// Makes fresh stage instances, one per task. Built once from validated parameters, so a bad
/// parameter fails before any work starts; shared read-only state (a model) is captured here.
public struct StageFactory: Sendable {
    public let make: @Sendable () throws -> any DocumentStage

    public init(_ make: @escaping @Sendable () throws -> any DocumentStage) {
        self.make = make
    }
}

/// A named stage type that a pipeline YAML can list: `- length: {min_chars: 200}`.
public protocol RegisteredStage: SendableMetatype {
    /// The name used in YAML, in snake_case.
    static var stageName: String { get }
    /// One line for `winnow stages`.
    static var summary: String { get }
    /// Every parameter the stage accepts, declared once (YAML validation, defaults, `winnow stages NAME`, docs).
    static var parameters: [ParameterDeclaration] { get }
    /// Builds the factory from parameters already validated against `parameters`; the typed getters return the
    /// declared defaults. Throws for values that are well-typed but wrong (a range, a missing file).
    static func makeFactory(_ parameters: StageParameters) throws -> StageFactory
}

extension RegisteredStage {
    /// Validates the parameters against the declarations, then builds the factory. Unknown, missing required or
    /// ill-typed parameters throw with their YAML line.
    public static func factory(parameters p: StageParameters) throws -> StageFactory {
        try p.validate(against: parameters)
        let factory = try makeFactory(p)
        try p.finish()
        return factory
    }
}
