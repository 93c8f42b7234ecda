import WinnowCore

/// The filter stages this module registers with pipelines.
public enum FilterStages {
    public static let all: [any RegisteredStage.Type] = [
        LengthFilter.self, SamplerFilter.self,
        GopherQualityFilter.self, GopherRepetitionFilter.self, C4QualityFilter.self, FineWebQualityFilter.self,
        BadWordsFilter.self, URLFilter.self, StatisticsStage.self,
        ClassifierFilter.self,
    ]
}
