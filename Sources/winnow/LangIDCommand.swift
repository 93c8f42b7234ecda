import ArgumentParser

/// `winnow langid ...`: language identification tools (filled in by the language-ID issue).
struct LangIDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "langid", abstract: "Language identification tools.", shouldDisplay: false)
}
