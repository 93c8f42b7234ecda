/// The report's charts as inline SVG (no script, no external resources). Labels are HTML-escaped.
enum SVGChart {
    static let width = 860.0
    static let labelWidth = 360.0
    /// Longer labels are cut (with "…") so they stay inside the chart at 11 px.
    static let maxLabelCharacters = 50
    static let valueWidth = 150.0

    /// Horizontal bars, in the given order: a label, a bar proportional to the largest value, the value's text.
    /// `chart` names the chart in a `data-chart` attribute, and each row carries its whole label and value in
    /// `data-label` and `data-value`, so a test (or a script reading the page) gets the exact numbers.
    static func bars(_ rows: [(label: String, value: Int, text: String)], color: String = "#4a78b5", chart: String) -> String {
        guard !rows.isEmpty else { return "" }
        let rowHeight = 20.0
        let maxValue = Double(rows.map(\.value).max() ?? 1)
        let barSpace = width - labelWidth - valueWidth
        var svg = open(height: Double(rows.count) * rowHeight + 4, chart: chart)
        for (i, row) in rows.enumerated() {
            let y = Double(i) * rowHeight + 2
            let w = maxValue > 0 ? max(1, barSpace * Double(row.value) / maxValue) : 0
            svg += "<g data-label=\"\(HTMLText.escape(row.label))\" data-value=\"\(row.value)\">"
            svg += text(labelWidth - 6, y + 14, shortened(row.label), anchor: "end")
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\(q(w)) height=\"14\" fill=\"\(color)\"/>"
            svg += text(labelWidth + w + 6, y + 14, row.text) + "</g>"
        }
        return svg + "</svg>"
    }

    /// Documents and bytes through each stage of a step: one row per stage, two bars (documents out, bytes
    /// out), each relative to the largest in the step.
    static func funnel(_ rows: [(stage: String, documents: Int, bytes: Int)]) -> String {
        guard !rows.isEmpty else { return "" }
        let rowHeight = 24.0
        let half = (width - 140) / 2
        let maxDocuments = Double(rows.map(\.documents).max() ?? 1)
        let maxBytes = Double(rows.map(\.bytes).max() ?? 1)
        var svg = open(height: Double(rows.count) * rowHeight + 22)
        svg += text(140, 13, "documents out", cls: "axis")
        svg += text(140 + half + 10, 13, "bytes out", cls: "axis")
        for (i, row) in rows.enumerated() {
            let y = Double(i) * rowHeight + 18
            svg += text(132, y + 15, row.stage, anchor: "end")
            let dw = maxDocuments > 0 ? (half - 70) * Double(row.documents) / maxDocuments : 0
            let bw = maxBytes > 0 ? (half - 70) * Double(row.bytes) / maxBytes : 0
            svg += "<rect x=\"140\" y=\"\(y + 4)\" width=\(q(max(dw, 1))) height=\"15\" fill=\"#4a78b5\"/>"
            svg += text(140 + dw + 4, y + 16, Format.count(row.documents))
            svg += "<rect x=\(q(140 + half + 10)) y=\"\(y + 4)\" width=\(q(max(bw, 1))) height=\"15\" fill=\"#d08a3a\"/>"
            svg += text(140 + half + 14 + bw, y + 16, Format.bytes(row.bytes))
        }
        return svg + "</svg>"
    }

    /// Two samples' histograms in the same bins, as shares of each sample: before in grey, after in blue.
    static func histogram(_ h: Histogram) -> String {
        let height = 150.0, left = 50.0, bottom = 24.0
        let plotWidth = width - left - 10
        let shares = { (bins: [Int]) -> [Double] in
            let total = Double(bins.reduce(0, +))
            return bins.map { total > 0 ? Double($0) / total : 0 }
        }
        let before = shares(h.before), after = shares(h.after)
        let top = max(before.max() ?? 0, after.max() ?? 0, 0.0001)
        let binWidth = plotWidth / Double(h.before.count)
        var svg = open(height: height + bottom)
        svg += "<line x1=\(q(left)) y1=\(q(height)) x2=\(q(left + plotWidth)) y2=\(q(height)) stroke=\"#888\"/>"
        svg += text(left - 4, 12, String(format: "%.0f%%", top * 100), anchor: "end", cls: "axis")
        for (i, share) in before.enumerated() where share > 0 {
            let hgt = (height - 10) * share / top
            svg += "<rect x=\(q(left + Double(i) * binWidth)) y=\(q(height - hgt)) width=\(q(binWidth - 1)) height=\(q(hgt)) fill=\"#9a9a9a\" fill-opacity=\"0.6\"/>"
        }
        for (i, share) in after.enumerated() where share > 0 {
            let hgt = (height - 10) * share / top
            svg += "<rect x=\(q(left + Double(i) * binWidth + binWidth * 0.25)) y=\(q(height - hgt)) width=\(q(binWidth * 0.5)) height=\(q(hgt)) fill=\"#2f6bbd\" fill-opacity=\"0.85\"/>"
        }
        let ticks = [0, h.before.count / 4, h.before.count / 2, 3 * h.before.count / 4, h.before.count]
        for t in ticks {
            let anchor = t == 0 ? "start" : t == h.before.count ? "end" : "middle"
            svg += text(left + Double(t) * binWidth, height + 16, Format.number(h.value(atEdge: t)), anchor: anchor, cls: "axis")
        }
        return svg + "</svg>"
    }

    /// Category shares before (grey) and after (blue) a step, one row per category in the given order.
    static func pairedBars(_ rows: [(label: String, before: Double, after: Double)]) -> String {
        guard !rows.isEmpty else { return "" }
        let rowHeight = 18.0
        let left = 120.0
        let barSpace = width - left - 120
        let top = max(rows.map { max($0.before, $0.after) }.max() ?? 0, 0.0001)
        var svg = open(height: Double(rows.count) * rowHeight + 4)
        for (i, row) in rows.enumerated() {
            let y = Double(i) * rowHeight + 2
            svg += text(left - 6, y + 13, row.label, anchor: "end")
            svg += "<rect x=\(q(left)) y=\(q(y + 2)) width=\(q(max(1, barSpace * row.before / top))) height=\"6\" fill=\"#9a9a9a\"/>"
            svg += "<rect x=\(q(left)) y=\(q(y + 9)) width=\(q(max(1, barSpace * row.after / top))) height=\"6\" fill=\"#2f6bbd\"/>"
            svg += text(left + barSpace * max(row.before, row.after) / top + 6, y + 13,
                        String(format: "%.1f%% → %.1f%%", row.before * 100, row.after * 100), cls: "axis")
        }
        return svg + "</svg>"
    }

    private static func shortened(_ label: String) -> String {
        label.count <= maxLabelCharacters ? label : String(label.prefix(maxLabelCharacters - 1)) + "…"
    }

    private static func open(height: Double, chart: String? = nil) -> String {
        "<svg class=\"chart\"\(chart.map { " data-chart=\"\($0)\"" } ?? "") width=\(q(width)) height=\(q(height)) viewBox=\"0 0 \(Format.number(width)) \(Format.number(height.rounded(.up)))\" role=\"img\">"
    }

    private static func text(_ x: Double, _ y: Double, _ s: String, anchor: String = "start", cls: String? = nil) -> String {
        let c = cls.map { " class=\"\($0)\"" } ?? ""
        return "<text x=\(q(x)) y=\(q(y)) text-anchor=\"\(anchor)\"\(c)>\(HTMLText.escape(s))</text>"
    }

    /// A number as a quoted attribute value with at most one decimal.
    private static func q(_ v: Double) -> String { "\"" + (v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v)) + "\"" }
}
