import ArgumentParser

/// `winnow pii ...`: PII tools (filled in by the PII issue).
struct PIICommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pii", abstract: "PII detection tools.", shouldDisplay: false)
}
