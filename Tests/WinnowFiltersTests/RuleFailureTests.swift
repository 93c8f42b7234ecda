import Testing
import WinnowCore
import WinnowFilters

/// A rejected document carries the value its rule measured and the threshold it crossed, worked out by hand.
@Suite struct RuleFailureTests {
    @Test func gopherShortDocumentRecordsItsWordCount() {
        var filter = GopherQualityFilter()
        var document = Document(id: "a", text: "three short words")
        var stats = StageStats(name: "gopher_quality")
        #expect(filter.process(&document, stats: &stats) == .exclude(reason: "gopher_short_doc"))
        #expect(document.metadata["filter_value"] == .number(JSONNumber(3.0)))
        #expect(document.metadata["filter_threshold"] == .number(JSONNumber(50.0)))
    }

    @Test func fineWebShortLinesRecordTheirRatio() {
        var filter = FineWebQualityFilter()
        // Four lines, each ending in punctuation; three are under 30 characters: 3/4 = 0.75 > 0.67.
        let long = "This line is certainly long enough to count as a long line."
        var document = Document(id: "b", text: "Short one.\nShort two.\nShort three.\n" + long)
        var stats = StageStats(name: "fineweb_quality")
        #expect(filter.process(&document, stats: &stats) == .exclude(reason: "short_line_ratio"))
        #expect(document.metadata["filter_value"] == .number(JSONNumber(0.75)))
        #expect(document.metadata["filter_threshold"] == .number(JSONNumber(0.67)))
    }

    @Test func keptDocumentsCarryNothing() {
        var filter = GopherQualityFilter()
        var document = Document(id: "c", text: String(repeating: "the cat sat on the mat and then it went to sleep. ", count: 10))
        var stats = StageStats(name: "gopher_quality")
        #expect(filter.process(&document, stats: &stats) == .keep)
        #expect(document.metadata["filter_value"] == nil)
    }
}
