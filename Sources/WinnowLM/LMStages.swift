import WinnowCore

/// The language-model stages this module registers with pipelines.
public enum LMStages {
    public static let all: [any RegisteredStage.Type] = [PerplexityStage.self]
}
