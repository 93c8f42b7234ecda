import Foundation
import WinnowCore
import WinnowIO
import WinnowTokenizer

/// Builds the report's HTML: the header, then one section per step. Everything from the run is escaped
/// (`HTMLText.escape`); links point only at files of the run, relative to the page.
struct ReportPage {
    let runDirectory: String
    let options: ReportOptions
    /// The run directory as seen from the page's directory (for links to `problems/` files).
    let linkBase: String
    private var html = ""

    init(runDirectory: String, options: ReportOptions, linkBase: String) {
        self.runDirectory = runDirectory
        self.options = options
        self.linkBase = linkBase
    }

    mutating func render(steps: [StepRecord], samples: [StepSample]) -> String {
        let title = "Winnow report: " + (options.run.pipelineName ?? URL(fileURLWithPath: runDirectory).lastPathComponent)
        html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        html += "<title>\(e(title))</title><style>\(Self.css)</style></head><body>\n"
        html += "<h1>\(e(title))</h1>\n"
        header(steps)
        html += "<nav><b>Steps:</b> " + steps.map { "<a href=\"#step-\(e(anchor($0.name)))\">\(e($0.name))</a>" }.joined(separator: " · ") + "</nav>\n"
        for (step, sample) in zip(steps, samples) { section(step, sample) }
        html += "<footer>Written by winnow \(e(options.version)). Distributions come from seeded samples of at most \(Format.count(options.sampleSize)) documents per step and side (seed \(options.seed)); counts in tables come from stats.json.</footer>\n"
        html += "</body></html>\n"
        return html
    }

    // MARK: the run

    private mutating func header(_ steps: [StepRecord]) {
        let run = options.run
        var rows: [(String, String)] = []
        rows.append(("run directory", runDirectory))
        if let file = run.pipelineFile { rows.append(("pipeline file", file)) }
        if let hash = run.pipelineSHA256 { rows.append(("pipeline SHA-256", hash)) }
        rows.append(("Winnow version", options.version.isEmpty ? "unknown" : options.version))
        let started = run.started ?? steps.compactMap(\.started).min()
        let finished = run.finished ?? steps.compactMap(\.finished).max()
        let from = run.started == nil ? " (from the step files' times)" : ""
        if let started { rows.append(("started", Self.time(started) + from)) }
        if let finished { rows.append(("finished", Self.time(finished) + from)) }
        if let started, let finished { rows.append(("wall time", Format.seconds(finished.timeIntervalSince(started)))) }
        if let cpu = run.cpuSeconds { rows.append(("CPU time (user + system)", Format.seconds(cpu))) }
        let taskSeconds = steps.compactMap(\.taskSeconds).reduce(0, +)
        rows.append(("task time (sum over tasks)", Format.seconds(taskSeconds)))
        html += "<section><h2>Run</h2>" + keyValueTable(rows)
        // Inputs: the files steps read that are not another step's output.
        let inputs = steps.filter { $0.inputStep == nil }.flatMap { step in step.inputs.map { (step.name, step.resolve($0.path), $0.bytes) } }
        if !inputs.isEmpty {
            let total = inputs.map(\.2).reduce(0, +)
            html += "<h3>Input files (\(inputs.count), \(Format.bytes(total)))</h3><table><tr><th>step</th><th>file</th><th class=\"n\">size</th></tr>"
            for (step, path, bytes) in inputs.prefix(200) {
                html += "<tr><td>\(e(step))</td><td class=\"path\">\(e(path))</td><td class=\"n\">\(Format.bytes(bytes))</td></tr>"
            }
            if inputs.count > 200 { html += "<tr><td colspan=\"3\">… \(inputs.count - 200) more (in each step's step.json)</td></tr>" }
            html += "</table>"
        }
        html += "</section>\n"
    }

    // MARK: a step

    private mutating func section(_ step: StepRecord, _ sample: StepSample) {
        html += "<section class=\"step\" id=\"step-\(e(anchor(step.name)))\"><h2>Step \(e(step.name))</h2>"
        var facts: [(String, String)] = []
        facts.append(("kind", step.datasetStep.map { "whole-dataset step: \($0)" } ?? "document step"))
        facts.append(("input", step.inputStep.map { "documents of step \($0)" } ?? "\(step.inputs.count) file(s), \(Format.bytes(step.inputs.map(\.bytes).reduce(0, +)))"))
        facts.append(("tasks", "\(step.taskCount)" + (step.phases.isEmpty ? "" : "; phases: " + step.phases.map { "\($0.name) (\($0.tasks) task\($0.tasks == 1 ? "" : "s"), \(Format.seconds($0.seconds)))" }.joined(separator: ", "))))
        if let seconds = step.taskSeconds { facts.append(("task time", Format.seconds(seconds))) }
        if let s = step.started, let f = step.finished { facts.append(("started → finished", "\(Self.time(s)) → \(Self.time(f))")) }
        html += keyValueTable(facts)
        guard let stats = step.stats else {
            html += "<p class=\"warn\">This step has not finished (no stats.json): run the pipeline again to complete it.</p></section>\n"
            return
        }
        funnel(step, stats)
        exclusions(stats)
        problems(step, stats)
        if step.datasetStep != nil { datasetResults(step, stats) }
        distributions(sample)
        examples(step, stats, sample)
        if sample.unreadable > 0 {
            html += "<p class=\"warn\">The report could not read \(sample.unreadable) record(s) of this step's files; the first: \(e(sample.unreadableDetail ?? ""))</p>"
        }
        html += "</section>\n"
    }

    private mutating func funnel(_ step: StepRecord, _ stats: [StageStats]) {
        html += "<h3>Documents and bytes through the stages</h3>"
        html += "<table class=\"funnel\" data-step=\"\(e(step.name))\"><tr><th>stage</th><th class=\"n\">docs in</th><th class=\"n\">docs out</th><th class=\"n\">bytes in</th><th class=\"n\">bytes out</th><th class=\"n\">excluded</th><th class=\"n\">seconds</th></tr>"
        for s in stats {
            let excluded = s.excluded.values.reduce(0, +)
            html += "<tr data-stage=\"\(e(s.name))\"><td>\(e(s.name))</td>"
            for (field, value) in [("documents_in", s.documentsIn), ("documents_out", s.documentsOut), ("bytes_in", s.bytesIn), ("bytes_out", s.bytesOut), ("excluded", excluded)] {
                html += "<td class=\"n\" data-field=\"\(field)\" data-value=\"\(value)\">\(Format.count(value))</td>"
            }
            html += "<td class=\"n\">\(String(format: "%.2f", s.seconds))</td></tr>"
        }
        html += "</table>"
        if stats.contains(where: { $0.name == "read" }) {
            html += "<p class=\"note\">read: bytes in are the input files as stored (compressed); every other byte figure is UTF-8 text.</p>"
        }
        // The bars follow the documents: what the reader delivered, then what each stage passed on.
        let rows = stats.filter { $0.documentsIn > 0 || $0.documentsOut > 0 }.map { ($0.name, $0.documentsOut, $0.bytesOut) }
        html += SVGChart.funnel(rows)
    }

    private mutating func exclusions(_ stats: [StageStats]) {
        let read = stats.first { $0.name == "read" }?.documentsOut ?? stats.first?.documentsIn ?? 0
        let rows = stats.flatMap { s in s.excluded.map { (s.name, $0.key, $0.value) } }
            .sorted { $0.2 != $1.2 ? $0.2 > $1.2 : ($0.0, $0.1) < ($1.0, $1.1) }
        guard !rows.isEmpty else { return }
        let total = rows.map(\.2).reduce(0, +)
        html += "<h3>Exclusions by stage and reason (\(Format.count(total)) documents, \(Format.percent(total, of: read)) of those read)</h3>"
        html += SVGChart.bars(rows.prefix(60).map { ("\($0.0): \($0.1)", $0.2, "\(Format.count($0.2)) (\(Format.percent($0.2, of: read)))") }, color: "#c0504d", chart: "exclusions")
        if rows.count > 60 { html += "<p class=\"note\">\(rows.count - 60) smaller reasons are in stats.json.</p>" }
    }

    private mutating func problems(_ step: StepRecord, _ stats: [StageStats]) {
        var counts: [String: Int] = [:]
        for s in stats { for (k, v) in s.counters where k.hasPrefix("problem:") { counts[String(k.dropFirst(8)), default: 0] += v } }
        let files = step.problemFiles
        guard !counts.isEmpty || !files.isEmpty else { return }
        html += "<h3>Input problems (\(Format.count(counts.values.reduce(0, +))))</h3>"
        html += SVGChart.bars(counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value, Format.count($0.value)) }, color: "#8064a2", chart: "problems")
        if !files.isEmpty {
            html += "<p>Every problem is a line of " + files.map { file in
                let name = URL(fileURLWithPath: file).lastPathComponent
                return "<a href=\"\(e(linkBase + "/" + URL(fileURLWithPath: step.root).lastPathComponent + "/problems/" + name))\">problems/\(e(name))</a>"
            }.joined(separator: ", ") + ". The first ones:</p><table><tr><th>file</th><th class=\"n\">offset</th><th>reason</th><th>detail</th></tr>"
            var shown = 0
            for file in files where shown < 10 {
                for line in Self.firstLines(of: file, count: 10 - shown) {
                    guard let o = (try? JSONParser.parse(Array(line.utf8)))?.objectValue else { continue }
                    html += "<tr><td class=\"path\">\(e(o["file"]?.stringValue ?? ""))</td><td class=\"n\">\(e(o["offset"].map { "\($0.intValue ?? 0)" } ?? ""))</td><td>\(e(o["reason"]?.stringValue ?? ""))</td><td>\(e(o["detail"]?.stringValue ?? ""))</td></tr>"
                    shown += 1
                }
            }
            html += "</table>"
        }
    }

    private mutating func datasetResults(_ step: StepRecord, _ stats: [StageStats]) {
        let counters = stats.reduce(into: [String: Int]()) { all, s in for (k, v) in s.counters { all["\(s.name): \(k)"] = v } }
        html += "<h3>Results of \(e(step.datasetStep ?? "the step"))</h3>"
        var facts: [(String, String)] = []
        if let vocab = stats.lazy.compactMap({ $0.counters["vocab_size"] }).first { facts.append(("vocabulary size", Format.count(vocab))) }
        if let merges = stats.lazy.compactMap({ $0.counters["merges"] }).first { facts.append(("merges", Format.count(merges))) }
        if let filter = stats.first(where: { !$0.excluded.isEmpty }) ?? stats.last(where: { $0.name == "filter" }) {
            let removed = filter.excluded.values.reduce(0, +)
            facts.append(("removed", "\(Format.count(removed)) of \(Format.count(filter.documentsIn)) documents (\(Format.percent(removed, of: filter.documentsIn))), \(Format.bytes(filter.bytesIn - filter.bytesOut))"))
        }
        if let clusters = counters["clusters: clusters"] { facts.append(("clusters", Format.count(clusters))) }
        html += keyValueTable(facts)
        if let sizes = DatasetStepFacts.clusterSizes(step), !sizes.isEmpty {
            html += "<h4>Duplicate clusters by size (documents per cluster)</h4>"
            html += SVGChart.bars(sizes.sorted { $0.key < $1.key }.prefix(40).map { ("\($0.key) documents", $0.value, "\(Format.count($0.value)) clusters") }, color: "#4bacc6", chart: "cluster-sizes")
            if sizes.count > 40 { html += "<p class=\"note\">\(sizes.count - 40) larger sizes are not drawn; the largest cluster has \(sizes.keys.max() ?? 0) documents.</p>" }
        }
        if let evaluation = TokenizerSampleEvaluation.measure(step) { tokenizerCost(evaluation) }
        if let manifest = DatasetStepFacts.shardManifest(step) { shards(manifest) }
        let outputs = DatasetStepFacts.outputFiles(step)
        if !outputs.isEmpty {
            html += "<h4>Files in \(e(step.name))/output/</h4><table><tr><th>file</th><th class=\"n\">size</th></tr>"
            for (name, bytes) in outputs.prefix(50) { html += "<tr><td class=\"path\">\(e(name))</td><td class=\"n\">\(Format.bytes(bytes))</td></tr>" }
            if outputs.count > 50 { html += "<tr><td colspan=\"2\">… \(outputs.count - 50) more</td></tr>" }
            html += "</table>"
        }
    }

    private mutating func tokenizerCost(_ evaluation: TokenizerEvaluation) {
        let byDocuments = { (a: (key: String, value: TokenizerEvaluation.Totals), b: (key: String, value: TokenizerEvaluation.Totals)) -> Bool in
            a.value.documents != b.value.documents ? a.value.documents > b.value.documents : a.key < b.key
        }
        let languages = evaluation.byLanguage.sorted(by: byDocuments).prefix(30)
        html += "<h4>Bytes per token by language (\(Format.count(evaluation.all.documents)) documents of the step's input, in-sample)</h4>"
        html += "<table class=\"tokenizer-cost\"><tr><th>language</th><th class=\"n\">documents</th><th class=\"n\">bytes per token</th><th class=\"n\">tokens per word</th><th class=\"n\">tokens per character</th></tr>"
        var rows: [(String, TokenizerEvaluation.Totals)] = [("all", evaluation.all)]
        for (key, totals) in languages { rows.append((key.isEmpty ? "unknown" : key, totals)) }
        for (language, t) in rows {
            html += "<tr><td>\(e(language))</td><td class=\"n\">\(Format.count(t.documents))</td><td class=\"n\">\(String(format: "%.3f", t.bytesPerToken))</td><td class=\"n\">\(String(format: "%.3f", t.tokensPerWord))</td><td class=\"n\">\(String(format: "%.3f", t.tokensPerCharacter))</td></tr>"
        }
        html += "</table><p class=\"note\">Measured as <code>winnow tokenizer eval</code> does, on the first documents of the step's input (at most \(Format.count(TokenizerSampleEvaluation.maxDocuments)) documents or \(TokenizerSampleEvaluation.maxBytes >> 20) MiB), which the tokenizer was trained on; run <code>winnow tokenizer eval</code> on held-out text for unbiased figures.</p>"
    }

    private mutating func shards(_ manifest: JSONObject) {
        var facts: [(String, String)] = []
        facts.append(("format", "\(manifest["format"]?.stringValue ?? "?") (\(manifest["dtype"]?.stringValue ?? "?"))"))
        if let tokens = manifest["tokens"]?.intValue { facts.append(("tokens", Format.count(tokens))) }
        if let documents = manifest["documents"]?.intValue { facts.append(("documents", Format.count(documents))) }
        if let tokenizer = manifest["tokenizer"]?.objectValue {
            facts.append(("tokenizer", "\(tokenizer["file"]?.stringValue ?? "?"), vocabulary \(tokenizer["vocab_size"]?.intValue.map(Format.count) ?? "?"), sha256 \(tokenizer["sha256"]?.stringValue ?? "?")"))
        }
        html += keyValueTable(facts)
        let sources = (manifest["sources"]?.arrayValue ?? []).compactMap(\.objectValue)
        if !sources.isEmpty {
            html += "<h4>Tokens per source</h4>"
            html += SVGChart.bars(sources.map { s in
                let tokens = s["tokens"]?.intValue ?? 0
                return (s["name"]?.stringValue ?? "?", tokens, "\(Format.count(tokens)) tokens, \(Format.count(s["documents"]?.intValue ?? 0)) docs")
            }, color: "#9bbb59", chart: "source-tokens")
        }
        let shards = (manifest["shards"]?.arrayValue ?? []).compactMap(\.objectValue)
        if !shards.isEmpty {
            html += "<h4>Shards (\(shards.count))</h4>"
            html += SVGChart.bars(shards.prefix(60).map { s in
                let tokens = s["tokens"]?.intValue ?? 0
                let bytes = (s["files"]?.arrayValue ?? []).compactMap { $0.objectValue?["bytes"]?.intValue }.reduce(0, +)
                return ("#\(s["index"]?.intValue ?? 0) \(s["role"]?.stringValue ?? "")", tokens, "\(Format.count(tokens)) tokens, \(Format.bytes(bytes))")
            }, color: "#9bbb59", chart: "shard-tokens")
            if shards.count > 60 { html += "<p class=\"note\">\(shards.count - 60) more shards in manifest.json.</p>" }
        }
    }

    // MARK: distributions

    private mutating func distributions(_ sample: StepSample) {
        let before = sample.before.items, after = sample.after.items
        guard !before.isEmpty else { return }
        html += "<h3>Distributions before and after the step</h3>"
        html += "<p class=\"note\"><span class=\"key before\"></span> before: \(Format.count(before.count)) of \(Format.count(sample.before.seen)) documents the stages saw (kept and excluded, as the stages left them) · <span class=\"key after\"></span> after: \(Format.count(after.count)) of \(Format.count(sample.after.seen)) kept documents. Bars are shares of each sample.</p>"
        html += "<div class=\"grid\">"
        chart("length in characters (log scale)", Histogram(before: before.map { Double($0.characters) }, after: after.map { Double($0.characters) }, scale: .logarithmic))
        chart("length in words (log scale)", Histogram(before: before.map { Double($0.words) }, after: after.map { Double($0.words) }, scale: .logarithmic))
        var fields: [String] = []
        for profile in before + after { for (k, _) in profile.numbers where !fields.contains(k) { fields.append(k) } }
        for field in fields {
            let b = before.compactMap { $0.numbers.first { $0.0 == field }?.1 }
            let a = after.compactMap { $0.numbers.first { $0.0 == field }?.1 }
            guard b.count + a.count >= 2 else { continue }
            let positive = (b + a).allSatisfy { $0 > 0 }
            let spread = ((b + a).max() ?? 1) / max((b + a).min() ?? 1, 1e-9)
            let log = positive && spread > 1000
            chart("\(field)\(log ? " (log scale)" : "") · \(b.count) → \(a.count) documents",
                  Histogram(before: b, after: a, scale: log ? .logarithmic : .linear))
        }
        html += "</div>"
        categories("language (top 30)", before.compactMap(\.language), after.compactMap(\.language), top: 30)
        categories("bucket", before.compactMap(\.bucket), after.compactMap(\.bucket), top: 10)
    }

    private mutating func chart(_ title: String, _ histogram: Histogram) {
        html += "<figure><figcaption>\(e(title))</figcaption>\(SVGChart.histogram(histogram))</figure>"
    }

    private mutating func categories(_ title: String, _ before: [String], _ after: [String], top: Int) {
        guard !before.isEmpty || !after.isEmpty else { return }
        let b = Dictionary(before.map { ($0, 1) }, uniquingKeysWith: +), a = Dictionary(after.map { ($0, 1) }, uniquingKeysWith: +)
        let order = b.merging(a, uniquingKeysWith: +).sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(top)
        let nb = Double(max(before.count, 1)), na = Double(max(after.count, 1))
        html += "<figure><figcaption>\(e(title)) · share of the sampled documents that have it</figcaption>"
        html += SVGChart.pairedBars(order.map { ($0.key, Double(b[$0.key] ?? 0) / nb, Double(a[$0.key] ?? 0) / na) }) + "</figure>"
    }

    // MARK: excluded examples

    private mutating func examples(_ step: StepRecord, _ stats: [StageStats], _ sample: StepSample) {
        guard options.examplesPerReason > 0, sample.examples.contains(where: { !$0.reasons.isEmpty }) else { return }
        let parameters = step.stageParameters
        html += "<h3>Excluded documents: samples per reason</h3>"
        for (stage, reasons) in sample.examples {
            let configured = parameters[stage].map { JSONWriter.string($0) } ?? ""
            html += "<h4>\(e(stage))\(configured.isEmpty || configured == "{}" ? "" : " <code>\(e(configured))</code>")</h4>"
            for (reason, reservoir) in reasons.sorted(by: { $0.reservoir.seen > $1.reservoir.seen }) {
                html += "<div class=\"reason\"><h5>\(e(reason)): \(Format.count(reservoir.seen)) excluded, \(reservoir.items.count) shown</h5>"
                for example in reservoir.items {
                    html += "<div class=\"doc\"><div class=\"meta\"><b>id</b> <code>\(e(example.id))</code>"
                    if let url = example.url { html += " · <b>url</b> <span class=\"path\">\(e(url))</span>" }
                    html += " · \(Format.count(example.characters)) characters"
                    if example.reason != reason { html += " · <b>reason</b> \(e(example.reason))" }
                    html += "</div>"
                    if !example.values.isEmpty {
                        html += "<div class=\"values\">" + example.values.map { "<span><b>\(e($0.0))</b> \(e($0.1))</span>" }.joined(separator: " ") + "</div>"
                    }
                    html += "<pre class=\"text\">\(e(example.textStart))\(example.truncated ? "<span class=\"cut\"> […]</span>" : "")</pre></div>"
                }
                html += "</div>"
            }
        }
    }

    // MARK: helpers

    private func e(_ s: String) -> String { HTMLText.escape(s) }

    private func anchor(_ s: String) -> String { String(s.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? Character($0) : "-" }) }

    private func keyValueTable(_ rows: [(String, String)]) -> String {
        "<table class=\"kv\">" + rows.map { "<tr><th>\(e($0.0))</th><td>\(e($0.1))</td></tr>" }.joined() + "</table>"
    }

    static func time(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return f.string(from: date)
    }

    /// Up to `count` lines from the start of a (plain) problems file, reading at most 64 KiB.
    static func firstLines(of file: String, count: Int) -> [String] {
        guard count > 0, let handle = FileHandle(forReadingAtPath: file) else { return [] }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: 1 << 16)) ?? Data()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").prefix(count).map(String.init)
    }

    static let css = """
    body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#222;max-width:1100px;margin:0 auto;padding:16px 24px}
    h1{font-size:24px;margin:8px 0 12px}h2{font-size:20px;border-bottom:2px solid #ddd;padding-bottom:4px;margin-top:28px}
    h3{font-size:16px;margin:18px 0 6px}h4{font-size:14px;margin:14px 0 4px}h5{font-size:13px;margin:10px 0 4px;color:#444}
    table{border-collapse:collapse;margin:4px 0 8px;font-size:13px}td,th{border:1px solid #ddd;padding:2px 8px;text-align:left;vertical-align:top}
    th{background:#f4f4f4}table.kv th{width:200px}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
    .path{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
    .note{color:#666;font-size:12px;margin:2px 0 8px}.warn{color:#9c2f00}
    nav{margin:8px 0;font-size:13px}nav a{color:#2f6bbd}
    svg.chart{display:block;max-width:100%;height:auto;font-size:11px}svg.chart text{fill:#222}svg.chart text.axis{fill:#666;font-size:10px}
    .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:4px 16px}
    figure{margin:6px 0}figcaption{font-size:12px;font-weight:600;color:#444}
    .key{display:inline-block;width:10px;height:10px;margin-right:3px}.key.before{background:#9a9a9a}.key.after{background:#2f6bbd}
    .doc{border:1px solid #e3e3e3;border-radius:4px;margin:4px 0 8px;padding:4px 8px;background:#fcfcfc;break-inside:avoid}
    .meta,.values{font-size:12px;color:#444}.values span{display:inline-block;margin-right:10px}
    pre.text{white-space:pre-wrap;word-break:break-word;font-size:12px;margin:4px 0;max-height:18em;overflow:auto}
    .cut{color:#999}code{font-size:12px}footer{margin-top:30px;color:#777;font-size:12px}
    @media print{body{max-width:none}pre.text{max-height:none;overflow:visible}section.step{break-before:page}}
    """
}
