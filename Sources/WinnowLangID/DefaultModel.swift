import WinnowCore
import WinnowFastText

/// Winnow's own language-ID model, embedded as a resource of this module: `winnow-lid.ftz`, 115 languages,
/// trained by Winnow's trainer (`Scripts/build-default-lid-model.sh`; see docs/langid.md). The language
/// stages and `winnow langid predict` use it when no `model` is given.
public enum DefaultLanguageModel {
    /// Where the model ships: this module's SwiftPM resource bundle, next to the `winnow` binary.
    public static let resource = EmbeddedResource(module: "WinnowLangID", file: "winnow-lid.ftz",
                                                  what: "Winnow's default language-ID model")

    /// The path of the embedded model (see `EmbeddedResource` for where it is looked for); when it is
    /// missing, the first place looked at, so that opening it fails with that path.
    public static var path: String {
        (try? resource.locate()) ?? resource.candidates.first ?? resource.file
    }

    /// The embedded model, loaded once per process and shared (models are immutable and `Sendable`).
    public static func load() throws -> FastTextModel {
        try loaded.get()
    }

    private static let loaded: Result<FastTextModel, FastTextError> = {
        do {
            return .success(try FastTextModel(path: try resource.locate()))
        } catch let error as EmbeddedResourceError {
            return .failure(.cannotOpen(error.resource.file, error.description))
        } catch let error as FastTextError {
            return .failure(error)
        } catch {
            return .failure(.cannotOpen(path, "\(error)"))
        }
    }()
}
