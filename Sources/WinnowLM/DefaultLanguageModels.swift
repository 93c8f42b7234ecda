import Foundation

/// The n-gram models shipped with Winnow as resources of this module (built by Scripts/build-default-lm.sh),
/// used by the `perplexity` stage when no model is configured. Each is in Winnow's binary form, mapped once
/// per process. English only for now: `Resources/en.wlm`, order 3, trained with normalization on the
/// Python 3.11 documentation (PSF License 2.0), see docs/filters.md.
public enum DefaultLanguageModels {
    /// Languages with a built-in model.
    public static let languages = ["en"]

    /// The built-in model's file for `language`, or nil.
    public static func path(language: String) -> String? {
        guard languages.contains(language) else { return nil }
        return Bundle.module.path(forResource: language, ofType: "wlm")
    }

    /// The built-in model for `language` (loaded once).
    public static func model(language: String) throws -> ARPAModel? {
        guard language == "en" else { return nil }
        return try english.get()
    }

    private static let english: Result<ARPAModel, Error> = Result {
        guard let path = path(language: "en") else { throw ARPAError("the built-in English model is missing from the resources") }
        return try ARPAModel(path: path)
    }
}
