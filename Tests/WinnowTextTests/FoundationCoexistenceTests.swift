// A client that sees both Foundation (with its private ICU) and WinnowText must compile: WinnowText keeps
// the system ICU module to itself. If this file stops compiling with "'UErrorCode' has different
// definitions", an ICU type leaked into WinnowText's interface.
import Foundation
import Testing
import WinnowTestSupport
import WinnowText

@Suite struct FoundationCoexistenceTests {
    @Test func foundationAndWinnowTextTogether() {
        let data = Data("café".utf8)
        let bytes = [UInt8](data)
        #expect(UTF8Validation.isValid(bytes))
        #expect(UnicodeNormalizer(form: .nfd).normalize(bytes).count == 6)
        #expect(String(decoding: bytes, as: UTF8.self).precomposedStringWithCanonicalMapping == "café")
    }
}
