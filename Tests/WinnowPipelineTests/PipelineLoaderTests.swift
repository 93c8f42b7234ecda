import Foundation
import Testing
import WinnowTestSupport
import WinnowCore
@testable import WinnowPipeline

/// Configuration mistakes are reported before any work, with the YAML line.
@Suite struct PipelineLoaderTests {
    func error(_ yaml: String) -> String? {
        do {
            _ = try PipelineLoader.parse(yaml: yaml, file: "p.yaml")
            return nil
        } catch {
            return "\(error)"
        }
    }

    let header = "output: /tmp/x\nsteps:\n  - name: s\n    input: {paths: [/etc/hostname]}\n"

    @Test func unknownStageNamesItsLine() {
        let e = error(header + "    stages:\n      - lenght: {min_chars: 3}\n")
        #expect(e?.hasPrefix("p.yaml:6: unknown stage 'lenght'") == true, "\(e ?? "")")
    }

    @Test func badParameterNamesItsLine() {
        let e = error(header + "    stages:\n      - length:\n          min_chars: many\n")
        #expect(e == "p.yaml:7: stage 'length': min_chars must be an integer")
    }

    @Test func unknownParameterIsRejected() {
        let e = error(header + "    stages:\n      - length: {min_char: 3}\n")
        #expect(e == "p.yaml:6: stage 'length': unknown parameter 'min_char' (valid: max_bytes, max_chars, min_bytes, min_chars)")
    }

    @Test func unknownKeysAndMissingParts() {
        #expect(error(header + "    stagez: []\n") == "p.yaml:5: unknown key 'stagez' in a step")
        #expect(error("steps:\n  - name: s\n") == "p.yaml:1: missing 'output:' (the directory for results)")
        #expect(error("output: o\nsteps:\n  - name: s\n    input: {step: nope}\n")?.contains("is not an earlier step") == true)
        #expect(error(header + "    writer: {compression: lz4}\n") == "p.yaml:5: compression must be none, gzip or zstd, not 'lz4'")
        #expect(error("output: o\nsteps: [")?.contains("invalid YAML") == true)
    }

    @Test func repeatedStagesGetDistinctNames() throws {
        let p = try PipelineLoader.parse(yaml: header + "    stages:\n      - length: {min_chars: 1}\n      - length: {max_chars: 9}\n", file: "p.yaml")
        #expect(p.steps[0].stages.map(\.name) == ["length", "length_2"])
    }

    @Test func missingInputFileFailsBeforeWork() throws {
        let p = try PipelineLoader.parse(yaml: "output: /tmp/x\nsteps:\n  - name: s\n    input: {paths: [/nonexistent/file.jsonl]}\n", file: "p.yaml")
        let executor = StepExecutor(pipeline: p, step: p.steps[0], options: RunOptions(), logger: .init(label: "t"))
        #expect(throws: ConfigurationError.self) { try executor.inputFiles() }
    }
}
