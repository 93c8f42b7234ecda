import ArgumentParser
import Foundation
import WinnowPipeline

/// `winnow stages [NAME]`: lists the stages and whole-dataset steps, or describes one with its parameters.
/// The hidden `--update-docs DIR` regenerates the parameter tables of DIR/*.md from the declarations.
struct StagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stages", abstract: "List the stages a pipeline can use, or show one stage's parameters.")

    @Argument(help: "A stage or step: print every parameter with its type, default and description.")
    var name: String?

    @Option(name: .customLong("update-docs"), help: .hidden)
    var docsDirectory: String?

    func run() throws {
        if let docsDirectory {
            let changed = try ParameterDocs.update(directory: docsDirectory)
            print(changed.isEmpty ? "parameter tables up to date" : "updated: \(changed.joined(separator: ", "))")
            return
        }
        if let name {
            guard let entry = StageCatalog.lookup(name) else {
                FileHandle.standardError.write(Data("error: unknown stage '\(name)'; `winnow stages` lists them\n".utf8))
                throw ExitCode(2)
            }
            print(StageCatalog.describe(entry))
            return
        }
        for stage in StageCatalog.all.sorted(by: { $0.name < $1.name }) where !stage.isDatasetStep {
            print("\(stage.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(stage.summary)")
        }
        print("\nWhole-dataset steps (`run:` in a step, instead of `stages:`):")
        for step in StageCatalog.all where step.isDatasetStep {
            print("\(step.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(step.summary)")
        }
        print("\n`winnow stages NAME` shows a stage's parameters.")
    }
}
