import WinnowCore

/// The stages this module registers, for the pipeline's stage registry.
public enum FormatterStages {
    public static let all: [any RegisteredStage.Type] = [UnicodeNormalizeStage.self, FixLineEndingsStage.self]
}
