import WinnowCore

/// The language stages this module registers with pipelines.
public enum LangIDStages {
    public static let all: [any RegisteredStage.Type] = []
}
