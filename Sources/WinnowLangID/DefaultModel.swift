import WinnowFastText
import Foundation

/// Winnow's own language-ID model, embedded as a resource of this module: `winnow-lid.ftz`, 115 languages,
/// trained by Winnow's trainer (`Scripts/build-default-lid-model.sh`; see docs/langid.md). The language
/// stages and `winnow langid predict` use it when no `model` is given.
public enum DefaultLanguageModel {
    static let resourceName = "winnow-lid"
    static let resourceBundle = "Winnow_WinnowLangID.resources"

    /// The path of the embedded model. Looked up where SwiftPM puts this module's resources (next to the
    /// executable), then in the source tree this binary was built from, then through `Bundle.module`.
    public static var path: String {
        let file = resourceName + ".ftz"
        let besideExecutable = Bundle.main.bundleURL.appendingPathComponent(resourceBundle).appendingPathComponent(file).path
        if FileManager.default.fileExists(atPath: besideExecutable) { return besideExecutable }
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Resources").appendingPathComponent(file).path
        if FileManager.default.fileExists(atPath: source) { return source }
        return Bundle.module.path(forResource: resourceName, ofType: "ftz") ?? besideExecutable
    }

    /// The embedded model, loaded once per process and shared (models are immutable and `Sendable`).
    public static func load() throws -> FastTextModel {
        try loaded.get()
    }

    private static let loaded: Result<FastTextModel, FastTextError> = {
        do {
            return .success(try FastTextModel(path: path))
        } catch let error as FastTextError {
            return .failure(error)
        } catch {
            return .failure(.cannotOpen(path, "\(error)"))
        }
    }()
}
