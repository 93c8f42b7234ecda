import ArgumentParser

/// `winnow filter NAME ...`: run one filter on its own (filled in by the quality-filters issue).
struct FilterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "filter", abstract: "Run one filter on its own.", shouldDisplay: false)
}
