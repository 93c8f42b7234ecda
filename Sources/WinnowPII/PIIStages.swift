import WinnowCore

/// The PII stages this module registers with pipelines.
public enum PIIStages {
    public static let all: [any RegisteredStage.Type] = [PIIStage.self]
}
