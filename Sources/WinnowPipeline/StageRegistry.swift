import WinnowCore
import WinnowDedup
import WinnowFilters
import WinnowFormatters
import WinnowHTML
import WinnowLangID
import WinnowLM
import WinnowPII

/// The stage types a pipeline YAML can name. A new capability module adds its list here.
public enum StageRegistry {
    public static let all: [any RegisteredStage.Type] = FilterStages.all + LMStages.all + FormatterStages.all + PIIStages.all + LangIDStages.all
        + HTMLStages.all + DedupStages.all

    /// Short names the command line and YAML also accept (`winnow filter classifier ...`).
    public static let aliases = ["classifier": "classifier_filter"]

    public static func lookup(_ name: String) -> (any RegisteredStage.Type)? {
        let canonical = aliases[name] ?? name
        return all.first { $0.stageName == canonical }
    }

    public static var names: [String] { all.map { $0.stageName }.sorted() }
}
