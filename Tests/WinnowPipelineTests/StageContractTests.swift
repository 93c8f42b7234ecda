import Foundation
import Testing
import WinnowCore
@testable import WinnowPipeline
import WinnowTestSupport

/// What every registered stage and whole-dataset step must do, checked over the registries so that a new stage
/// cannot skip it: a unique name, parameters declared once and documented, unknown keys rejected with their line.
@Suite struct StageContractTests {
    /// A minimal valid value for each required (or otherwise needed) parameter, as YAML flow mappings and as values.
    static let examples: [String: [String: JSONValue]] = [
        "classifier_filter": ["model": .string(repositoryRoot + "/Sources/WinnowLangID/Resources/winnow-lid.ftz")],
        "url_filter": ["domains": ["example.com"]],
        "train_tokenizer": ["vocab_size": 300],
        "tokenize": ["tokenizer": .string("tokenizer.json")],
        "decontaminate": ["eval_sets": .array([.string(repositoryRoot + "/README.md")])],
    ]

    static func yamlFlow(_ values: [String: JSONValue]) -> String {
        values.sorted { $0.key < $1.key }.map { key, value -> String in
            switch value {
            case .string(let s): return "\(key): \"\(s)\""
            case .array(let a): return "\(key): [" + a.map { "\"\($0.stringValue ?? "")\"" }.joined(separator: ", ") + "]"
            case .number(let n): return "\(key): \(n.literal)"
            default: Issue.record("no YAML form for the example \(key)"); return ""
            }
        }.joined(separator: ", ")
    }

    @Test func namesAreUnique() {
        let names = StageCatalog.all.map(\.name)
        #expect(Set(names).count == names.count, "duplicate stage or step names: \(names.sorted())")
        for (alias, target) in StageRegistry.aliases {
            #expect(!names.contains(alias), "alias '\(alias)' hides a stage")
            #expect(names.contains(target), "alias '\(alias)' names no stage")
        }
    }

    @Test(arguments: StageCatalog.all.map(\.name))
    func declarationsAreWellFormed(name: String) throws {
        let entry = try #require(StageCatalog.lookup(name))
        let parameters = entry.parameters.map(\.name)
        #expect(Set(parameters).count == parameters.count, "\(name) declares a parameter twice: \(parameters)")
        for p in entry.parameters {
            #expect(!p.summary.isEmpty, "\(name).\(p.name) has no description")
            #expect(p.name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" }, "\(name).\(p.name) is not snake_case")
            if case .value(let v) = p.defaultValue {
                #expect(p.problem(with: v) == nil, "\(name).\(p.name): the default \(v) does not fit its type")
            }
        }
    }

    /// The factory of each stage (and step), made with the declared defaults plus the example values, reads only
    /// parameters it declares.
    @Test(arguments: StageCatalog.all.map(\.name))
    func factoryReadsOnlyDeclaredParameters(name: String) throws {
        let parameters = StageParameters(stageName: name, Self.examples[name] ?? [:])
        if let stage = StageRegistry.lookup(name) {
            _ = try stage.factory(parameters: parameters)
        } else {
            let step = try #require(DatasetStepRegistry.lookup(name))
            _ = try step.make(parameters: parameters)
        }
        #expect(parameters.undeclaredReads.isEmpty, "\(name) reads undeclared parameters \(parameters.undeclaredReads)")
        #expect(!parameters.readKeys.isEmpty || (StageCatalog.lookup(name)?.parameters.isEmpty ?? true),
                "\(name) declares parameters but its factory reads none")
    }

    /// A typo in a pipeline file is reported at its line with the keys the stage takes.
    @Test(arguments: StageCatalog.all.map(\.name))
    func unknownParameterIsRejectedWithItsLine(name: String) throws {
        let entry = try #require(StageCatalog.lookup(name))
        var given = Self.yamlFlow(Self.examples[name] ?? [:])
        given = given.isEmpty ? "" : given + ", "
        let body = entry.isDatasetStep
            ? "    run:\n      \(name): {\(given)not_a_parameter: 1}\n"
            : "    stages:\n      - \(name): {\(given)not_a_parameter: 1}\n"
        let yaml = "output: /tmp/x\nsteps:\n  - name: s\n    input: {paths: [/etc/hostname]}\n" + body
        let valid = entry.parameters.map(\.name).sorted().joined(separator: ", ")
        let expected = "p.yaml:6: stage '\(name)': unknown parameter 'not_a_parameter' (valid: \(valid))"
        let error = #expect(throws: ConfigurationError.self) { try PipelineLoader.parse(yaml: yaml, file: "p.yaml") }
        #expect(error?.description == expected)
    }

    /// Every stage and step has its generated parameter table in docs/, and the tables match the declarations.
    @Test func docsHaveEveryParameterTableUpToDate() throws {
        let docs = repositoryRoot + "/docs"
        var documented: Set<String> = []
        for file in try ParameterDocs.files(in: docs) {
            documented.formUnion(StageCatalog.documentedNames(in: try String(contentsOfFile: file, encoding: .utf8)))
        }
        let missing = StageCatalog.all.map(\.name).filter { !documented.contains($0) }
        #expect(missing.isEmpty, """
            no parameter table in docs/ for \(missing.joined(separator: ", ")): add `<!-- parameters:NAME -->` and \
            `<!-- end -->` where the stage is described, then run `swift run winnow stages --update-docs docs`
            """)
        let stale = try ParameterDocs.stale(directory: docs).map(\.file)
        #expect(stale.isEmpty, """
            parameter tables differ from the stages' declarations in \(stale.joined(separator: ", ")); \
            regenerate them with `swift run winnow stages --update-docs docs`
            """)
    }

    /// Hand-worked: the generator rewrites only what lies between the markers, and rejects a marker without end.
    @Test func regenerationReplacesOnlyTheMarkedBlock() throws {
        let text = "intro\n<!-- parameters:sample -->\nold table\n<!-- end -->\noutro"
        let regenerated = try StageCatalog.regenerateTables(in: text, file: "x.md")
        #expect(regenerated == """
            intro
            <!-- parameters:sample -->
            | parameter | type | default | meaning |
            | --- | --- | --- | --- |
            | `rate` | number | 1 | the fraction of documents kept, between 0 and 1 |
            | `seed` | integer | 0 | seed of the id hash: another seed keeps another sample |
            <!-- end -->
            outro
            """)
        #expect(throws: ConfigurationError.self) { try StageCatalog.regenerateTables(in: "<!-- parameters:sample -->\n", file: "x.md") }
        #expect(throws: ConfigurationError.self) { try StageCatalog.regenerateTables(in: "<!-- parameters:nope -->\n<!-- end -->", file: "x.md") }
    }

    @Test func stagesCommandPrintsEveryParameter() throws {
        let out = try run(try winnowExecutable(), ["stages", "gopher_quality"])
        #expect(out.status == 0, "\(out.stderr)")
        for p in try #require(StageCatalog.lookup("gopher_quality")).parameters.map(\.name) {
            #expect(out.stdout.contains("  \(p) "), "winnow stages gopher_quality does not show \(p)")
        }
        #expect(out.stdout.contains("integer, default 50"))  // datatrove's min_doc_words
        let unknown = try run(try winnowExecutable(), ["stages", "no_such_stage"])
        #expect(unknown.status != 0 && unknown.stderr.contains("unknown stage 'no_such_stage'"))
    }
}
