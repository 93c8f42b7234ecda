import WinnowCore

/// The n-gram models shipped with Winnow as resources of this module (built by Scripts/build-default-lm.sh),
/// used by the `perplexity` stage when no model is configured. Each is in Winnow's binary form, mapped once
/// per process. English only for now: `Resources/en.wlm`, order 3, trained with normalization on the
/// Python 3.11 documentation (PSF License 2.0), see docs/filters.md.
public enum DefaultLanguageModels {
    /// Languages with a built-in model.
    public static let languages = ["en"]

    /// Where the built-in model for `language` ships (see `EmbeddedResource`), or nil.
    public static func resource(language: String) -> EmbeddedResource? {
        guard languages.contains(language) else { return nil }
        return EmbeddedResource(module: "WinnowLM", file: "\(language).wlm", what: "Winnow's built-in '\(language)' n-gram model")
    }

    /// The built-in model's file for `language`, or nil when there is none or it is not installed.
    public static func path(language: String) -> String? {
        try? resource(language: language)?.locate()
    }

    /// The built-in model for `language` (loaded once), nil for a language without one.
    public static func model(language: String) throws -> ARPAModel? {
        guard language == "en" else { return nil }
        return try english.get()
    }

    private static let english: Result<ARPAModel, Error> = Result {
        guard let resource = resource(language: "en") else { throw ARPAError("no built-in English model") }
        return try ARPAModel(path: try resource.locate())
    }
}
