import Foundation
import Testing
import WinnowHTML
import WinnowTestSupport

/// Every named reference decodes as Python's `html.entities.html5` says, and `html.unescape` agrees on
/// numeric and legacy edge cases.
@Suite struct EntityTableTests {
    func decode(_ html: String) -> String {
        var extractor = HTMLExtractor(options: HTMLExtractionOptions(mode: .wholePage))
        return String(decoding: extractor.extract("<pre>x" + html + "|</pre>").text, as: UTF8.self)
    }

    @Test func allNamesMatchPython() throws {
        let output: String
        do {
            output = try ProcessRunner.python("import html.entities, json; print(json.dumps(html.entities.html5))")
        } catch {
            if referenceRequired { throw error }
            print("skipping allNamesMatchPython: needs python3: \(error)")
            return
        }
        let table = try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [String: String]
        #expect(table.count == 2231)
        var mismatches: [String] = []
        for (name, value) in table.sorted(by: { $0.key < $1.key }) {
            // In <pre> whitespace is kept, so every decoded character is visible; CR is dropped there.
            let expected = "x" + value.replacingOccurrences(of: "\r", with: "") + "|"
            if decode("&" + name) != expected { mismatches.append(name) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) names differ from Python, e.g. \(mismatches.prefix(5))")
    }

    @Test func numericAndLegacyCasesMatchPythonUnescape() throws {
        let cases = ["&#128;", "&#x9F;", "&#0;", "&#xD800;", "&#1114112;", "&#65", "&#x41x", "&notit;", "&ampamp;", "&LTx", "&copy2",
                     "&#999999999999;", "&#x;", "&#;", "&Aacute", "&aacutex", "&frac34;", "&frac34", "&nbsp&nbsp;"]
        let output: String
        do {
            output = try ProcessRunner.python("import html, json, sys; print(json.dumps([html.unescape(c) for c in json.load(sys.stdin)]))",
                                              stdin: try JSONSerialization.data(withJSONObject: cases))
        } catch {
            if referenceRequired { throw error }
            print("skipping numericAndLegacyCasesMatchPythonUnescape: needs python3: \(error)")
            return
        }
        let expected = try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [String]
        for (c, e) in zip(cases, expected) {
            #expect(decode(c) == "x" + e + "|", "\(c)")
        }
    }
}
