import WinnowCore
import WinnowFilters
import WinnowFormatters
import WinnowLangID
import WinnowPII

/// The stage types a pipeline YAML can name. A new capability module adds its list here.
public enum StageRegistry {
    public static let all: [any RegisteredStage.Type] = FilterStages.all + FormatterStages.all + PIIStages.all + LangIDStages.all

    public static func lookup(_ name: String) -> (any RegisteredStage.Type)? {
        all.first { $0.stageName == name }
    }

    public static var names: [String] { all.map { $0.stageName }.sorted() }
}
